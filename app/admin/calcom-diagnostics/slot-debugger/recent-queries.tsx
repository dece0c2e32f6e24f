"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { SlotQuery } from "@/drizzle/schema/slots";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import { formatClock, formatDateTime } from "@/lib/time/format";

type Row = Jsonify<SlotQuery>;

/** In the zone the caller asked in (the query's own), so "what did they hear at 10:42?" reads as they heard it. */
const local = (iso: string, timeZone: string, withDate = true) =>
  withDate ? formatDateTime(iso, timeZone, { zoneName: false }) : formatClock(iso, timeZone);

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
  const rows = queries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title="Recent slot queries">
      {queries.error && <p className="text-sm text-red-600">{queries.error.message}</p>}
      {rows.length === 0 && !queries.isLoading && (
        <p className="text-sm text-slate-500">No slot queries recorded for this company yet.</p>
      )}
      {rows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs" aria-label="Recent slot queries">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 pr-3">When</th>
                <th className="pr-3">Source</th>
                <th className="pr-3">Event type</th>
                <th className="pr-3">Range</th>
                <th className="pr-3">Offered</th>
                <th className="pr-3">Asked about</th>
                <th>Answer</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((q) => (
                <tr key={q.id} className="border-t border-slate-100 align-top">
                  <td className="py-1 pr-3 whitespace-nowrap">{formatDateTime(q.at, q.timeZone)}</td>
                  <td className="pr-3">
                    {q.source}
                    {q.actorLabel ? ` · ${q.actorLabel}` : ""}
                  </td>
                  <td className="pr-3">{q.eventTypeId}</td>
                  <td className="pr-3 whitespace-nowrap">
                    {local(q.rangeStart, q.timeZone)} to {local(q.rangeEnd, q.timeZone)} {q.timeZone}
                  </td>
                  <td className="pr-3" title={(q.slots ?? []).map((s) => local(s, q.timeZone)).join(", ")}>
                    {q.slotCount}{" "}
                    {q.slots && q.slots.length > 0
                      ? `(${q.slots
                          .slice(0, 4)
                          .map((s) => local(s, q.timeZone, false))
                          .join(", ")}${q.slots.length > 4 ? ", …" : ""})`
                      : ""}
                  </td>
                  <td className="pr-3">
                    {q.requestedStart
                      ? `${local(q.requestedStart, q.timeZone)}: ${(q.reasonCodes ?? []).join(", ") || "no reason"}`
                      : ""}
                  </td>
                  <td>
                    {q.calCode ? (
                      <Badge tone="red">{q.calCode}</Badge>
                    ) : (
                      <Badge tone="green">HTTP {q.httpStatus}</Badge>
                    )}{" "}
                    <span className="text-slate-500">{q.durationMs} ms</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {queries.hasNextPage && (
        <Button
          variant="secondary"
          className="mt-2"
          onClick={() => queries.fetchNextPage()}
          disabled={queries.isFetchingNextPage}
        >
          Load older queries
        </Button>
      )}
    </Card>
  );
}
