import type { ReactNode, TdHTMLAttributes } from "react";
import { Button } from "./button";
import { ErrorMessage } from "./query-state";

export type Column<T> = {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
  /** Shown from 1280 px only; below, it lives in the row's detail. Keep the columns that matter first. */
  isSecondary?: boolean;
};

type Heading = { key: string; header: ReactNode; className?: string; isSecondary?: boolean };

const SECONDARY = "hidden xl:table-cell";

/**
 * Column headings readable at any width: spaced, never run together ("SEVERITYCOMPANY"). Used alone where each row is
 * a component of its own (a row holding its actions' state), with cells from `Cell`; a table that still does not fit
 * scrolls inside its frame instead of making the page scroll sideways.
 */
export function TableFrame({
  label,
  headers,
  children,
  footer,
}: {
  label: string;
  /** A plain heading is its own key. */
  headers: (string | Heading)[];
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full table-auto text-left text-sm" aria-label={label}>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {headers
              .map((h) => (typeof h === "string" ? { key: h, header: h } : h))
              .map((h: Heading) => (
                <th
                  key={h.key}
                  scope="col"
                  className={`px-3 py-2 ${h.isSecondary ? SECONDARY : ""} ${h.className ?? ""}`}
                >
                  {h.header}
                </th>
              ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
      {footer}
    </div>
  );
}

/** One cell, padded like its heading. */
export function Cell({
  isSecondary,
  className = "",
  ...props
}: TdHTMLAttributes<HTMLTableCellElement> & { isSecondary?: boolean }) {
  return <td className={`break-words px-3 py-2 ${isSecondary ? SECONDARY : ""} ${className}`} {...props} />;
}

type Props<T> = {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string | number;
  /** What an empty list means, and what to do about it. */
  empty: ReactNode;
  isLoading?: boolean;
  selectedKey?: string | number | null;
  rowTestId?: (row: T) => string;
  /** Picks the row by a click anywhere on it; keep a button in the row for the keyboard. */
  onRowClick?: (row: T) => void;
  footer?: ReactNode;
};

/** The one table of the panels: fits 1024 px by hiding secondary columns, wraps long text instead of scrolling. */
export function Table<T>({
  label,
  rows,
  columns,
  rowKey,
  empty,
  isLoading,
  selectedKey,
  rowTestId,
  onRowClick,
  footer,
}: Props<T>) {
  return (
    <TableFrame label={label} headers={columns} footer={footer}>
      {rows.map((row) => {
        const key = rowKey(row);
        return (
          <tr
            key={key}
            data-testid={rowTestId?.(row)}
            aria-selected={selectedKey === key || undefined}
            onClick={onRowClick && (() => onRowClick(row))}
            className={`align-top ${selectedKey === key ? "bg-sky-50" : ""} ${onRowClick ? "cursor-pointer" : ""}`}
          >
            {columns.map((c) => (
              <Cell key={c.key} isSecondary={c.isSecondary} className={c.className}>
                {c.cell(row)}
              </Cell>
            ))}
          </tr>
        );
      })}
      {!isLoading && rows.length === 0 && (
        <tr>
          <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-500">
            {empty}
          </td>
        </tr>
      )}
      {isLoading && rows.length === 0 && (
        <tr>
          <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-500" role="status">
            Loading…
          </td>
        </tr>
      )}
    </TableFrame>
  );
}

/** What a keyset-paged list query gives a table (TanStack's infinite query result fits it). */
type PagedQuery<T> = {
  data?: { pages: { items: T[] }[] };
  error: { message: string } | null;
  isLoading: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  refetch: () => unknown;
};

/**
 * A keyset-paged list: its error with a retry, the rows of every page fetched so far, and a button for the next page.
 * Keyset rows carry their id (the cursor), so the id is the row's key.
 */
export function PagedTable<T extends { id: number | string }>({
  query,
  moreLabel = "Load more",
  ...table
}: Omit<Props<T>, "rows" | "rowKey" | "isLoading"> & { query: PagedQuery<T>; moreLabel?: string }) {
  return (
    <>
      <ErrorMessage error={query.error} onRetry={() => query.refetch()} />
      <Table
        {...table}
        rows={query.data?.pages.flatMap((p) => p.items) ?? []}
        rowKey={(row) => row.id}
        isLoading={query.isLoading}
      />
      {query.hasNextPage && (
        <Button
          className="mt-3"
          variant="secondary"
          onClick={() => query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? "Loading…" : moreLabel}
        </Button>
      )}
    </>
  );
}
