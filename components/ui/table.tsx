import type { ReactNode } from "react";

export type Column<T> = {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
  /** Shown from 1280 px only; below, it lives in the row's detail. Keep the columns that matter first. */
  isSecondary?: boolean;
};

const SECONDARY = "hidden xl:table-cell";

/** Column headings readable at any width: spaced, never run together ("SEVERITYCOMPANY"). */
function TableFrame({
  label,
  headers,
  children,
  footer,
}: {
  label: string;
  headers: { key: string; header: ReactNode; className?: string; isSecondary?: boolean }[];
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <table className="w-full table-auto text-left text-sm" aria-label={label}>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {headers.map((h) => (
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
  footer?: ReactNode;
};

/** The one table of the panels: fits 1024 px by hiding secondary columns, wraps long text instead of scrolling. */
export function Table<T>({ label, rows, columns, rowKey, empty, isLoading, selectedKey, rowTestId, footer }: Props<T>) {
  return (
    <TableFrame label={label} headers={columns} footer={footer}>
      {rows.map((row) => {
        const key = rowKey(row);
        return (
          <tr
            key={key}
            data-testid={rowTestId?.(row)}
            aria-selected={selectedKey === key || undefined}
            className={`align-top ${selectedKey === key ? "bg-sky-50" : ""}`}
          >
            {columns.map((c) => (
              <td
                key={c.key}
                className={`break-words px-3 py-2 ${c.isSecondary ? SECONDARY : ""} ${c.className ?? ""}`}
              >
                {c.cell(row)}
              </td>
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
