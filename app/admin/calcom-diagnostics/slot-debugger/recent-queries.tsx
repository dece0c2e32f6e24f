"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PagedTable, type Column } from "@/components/ui/table";
import type { SlotQuery } from "@/drizzle/schema/slots";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import { formatClock, formatDateTime } from "@/lib/time/format";

type Row = Jsonify<SlotQuery>;

/** In the zone the caller asked in (the query's own), so "what did they hear at 10:42?" reads as they heard it. */
const local = (iso: string, timeZone: string, withDate = true) =>
  withDate ? formatDateTime(iso, timeZone, { zoneName: false }) : formatClock(iso, timeZone);

const COLUMNS: Column<Row>[] = [
  { key: "when", header: "When", className: "whitespace-nowrap", cell: (q) => formatDateTime(q.at, q.timeZone) },
  { key: "source", header: "Source", cell: (q) => `${q.source}${q.actorLabel ? ` · ${q.actorLabel}` : ""}` },
  { key: "eventType", header: "Event type", cell: (q) => q.eventTypeId },
  {
    key: "range",
    header: "Range",
    className: "whitespace-nowrap",
    cell: (q) => `${local(q.rangeStart, q.timeZone)} to ${local(q.rangeEnd, q.timeZone)} ${q.timeZone}`,
  },
  {
    key: "offered",
    header: "Offered",
    cell: (q) => (
      <span title={(q.slots ?? []).map((s) => local(s, q.timeZone)).join(", ")}>
        {q.slotCount}{" "}
        {q.slots && q.slots.length > 0
          ? `(${q.slots
              .slice(0, 4)
              .map((s) => local(s, q.timeZone, false))
              .join(", ")}${q.slots.length > 4 ? ", …" : ""})`
          : ""}
      </span>
    ),
  },
  {
    key: "asked",
    header: "Asked about",
    cell: (q) =>
      q.requestedStart
        ? `${local(q.requestedStart, q.timeZone)}: ${(q.reasonCodes ?? []).join(", ") || "no reason"}`
        : "",
  },
  {
    key: "answer",
    header: "Answer",
    cell: (q) => (
      <>
        {q.calCode ? <Badge tone="red">{q.calCode}</Badge> : <Badge tone="green">HTTP {q.httpStatus}</Badge>}{" "}
        <span className="text-slate-500">{q.durationMs} ms</span>
      </>
    ),
  },
];

/** What callers were offered, newest first (keyset pages of 20), so support can answer "what did they hear at 10:42?". */
export function RecentQueries({ companyId }: { companyId: number }) {
  const queries = useInfiniteQuery({
    queryKey: queryKeys.slotQueries(companyId),
    queryFn: ({ pageParam }) =>
      fetchJson<{ items: Row[]; nextCursor: number | null }>(
        `/api/admin/calcom/slots/queries?companyId=${companyId}&limit=20${pageParam ? `&cursor=${pageParam}` : ""}`,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
  return (
    <Card title="Recent slot queries">
      <PagedTable
        label="Recent slot queries"
        query={queries}
        columns={COLUMNS}
        empty="No slot queries recorded for this company yet."
        moreLabel="Load older queries"
      />
    </Card>
  );
}
