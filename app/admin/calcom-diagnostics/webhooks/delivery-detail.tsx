"use client";

import { Time } from "@/components/ui/time";
import { plural } from "@/lib/time/format";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { fetchJson } from "@/lib/client/fetch-json";
import { useToast } from "@/components/ui/toaster";
import { useWebhookDelivery } from "@/lib/client/queries/webhooks";
import { useScrollIntoView } from "@/lib/client/use-scroll-into-view";
import { label, statusTone, verdictTone } from "./labels";
import { TimelineLink } from "../appointments/timeline-link";

function pretty(body: string | null): string {
  if (body === null) return "";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

const REPROCESSABLE = new Set(["failed", "pending", "processed", "ignored"]);

export function DeliveryDetail({ id, canOperate, onClose }: { id: number; canOperate: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const query = useWebhookDelivery(id);
  const top = useScrollIntoView(id);
  const toast = useToast();
  const reprocess = useMutation({
    mutationFn: () => fetchJson(`/api/admin/calcom/webhooks/reprocess`, { method: "POST", json: { mode: "one", id } }),
    onSuccess: () => {
      toast(`Delivery #${id} queued for reprocessing; its status updates here.`);
      return client.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const d = query.data;
  return (
    <div ref={top} className="scroll-mt-4">
      <Card
        title={`Delivery #${id}`}
        actions={
          <>
            {canOperate && d && REPROCESSABLE.has(d.status) && (
              <Button onClick={() => reprocess.mutate()} disabled={reprocess.isPending}>
                {reprocess.isPending ? "Reprocessing…" : "Reprocess"}
              </Button>
            )}
            <Button variant="secondary" onClick={onClose}>
              Close
            </Button>
          </>
        }
      >
        {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
        {reprocess.error && <p className="mb-2 text-sm text-red-600">{reprocess.error.message}</p>}
        {d && (
          <div className="space-y-4 text-sm" data-testid="delivery-detail">
            <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[10rem_1fr]">
              <dt className="text-slate-500">Received</dt>
              <dd>
                <Time at={d.receivedAt} seconds /> ({d.bodyBytes} bytes, {d.contentType ?? "no content type"})
              </dd>
              <dt className="text-slate-500">Company</dt>
              <dd>
                {d.companyName ?? "unknown"}
                {d.routeSlug ? ` (URL slug ${d.routeSlug})` : " (shared URL)"}
              </dd>
              <dt className="text-slate-500">Trigger</dt>
              <dd className="font-mono text-xs">
                {d.triggerEvent ?? "?"} {d.bookingUid ? `· ${d.bookingUid}` : ""} <TimelineLink uid={d.bookingUid} />
              </dd>
              <dt className="text-slate-500">Verdict</dt>
              <dd>
                <Badge tone={verdictTone(d.verdict)}>{label(d.verdict)}</Badge> answered {d.responseStatus}:{" "}
                <span data-testid="verdict-detail">{d.verdictDetail}</span>
              </dd>
              <dt className="text-slate-500">Processing</dt>
              <dd>
                <Badge tone={statusTone(d.status)}>{d.status}</Badge> after {plural(d.attempts, "attempt")}
                {d.outcome ? `: ${d.outcome}` : ""}
                {d.duplicateOfId && <span> (duplicate of #{d.duplicateOfId})</span>}
                {d.duplicateCount > 0 && (
                  <span>
                    {" "}
                    · repeated {plural(d.duplicateCount, "time")}
                    {d.duplicates.length ? `: #${d.duplicates.map((x) => x.id).join(", #")}` : ""}
                  </span>
                )}
              </dd>
              {d.lastError && (
                <>
                  <dt className="text-slate-500">Last error</dt>
                  <dd className="text-red-700">{d.lastError}</dd>
                </>
              )}
            </dl>

            <section aria-label="Verification">
              <h3 className="mb-1 font-semibold text-slate-700">Verification</h3>
              <ul className="list-inside list-disc text-xs text-slate-700">
                <li>
                  Header: {String(d.verification.header ?? "none")}
                  {d.verification.isHeaderVariant ? " (variant name)" : ""}
                </li>
                {d.secretLabel !== null || d.verification.secretLabel ? (
                  <li>
                    Matched secret: {d.secretLabel ?? String(d.verification.secretLabel)}
                    {d.verification.isCurrentSecret === false ? " (an older secret)" : ""}
                  </li>
                ) : null}
                {d.verification.variant ? <li>Variant: {String(d.verification.variant)}</li> : null}
                <li>
                  Provided signature:{" "}
                  <span className="font-mono">
                    {String(d.verification.providedPrefix ?? d.verification.provided ?? "none")}
                  </span>
                </li>
                <li>
                  Expected signature:{" "}
                  <span className="font-mono">{String(d.verification.expectedPrefix ?? "n/a")}</span>
                </li>
                {d.verification.tried !== undefined && <li>Secrets tried: {String(d.verification.tried)}</li>}
              </ul>
            </section>

            <section aria-label="Appointment before and after">
              <h3 className="mb-1 font-semibold text-slate-700">Appointment before and after</h3>
              {d.changes.length === 0 && <p className="text-xs text-slate-500">No appointment change.</p>}
              {d.changes.map((c) => (
                <div key={c.id} className="mb-2 grid gap-2 sm:grid-cols-2">
                  <p className="sm:col-span-2 text-xs font-medium">
                    {c.change} ({c.bookingUid})
                  </p>
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs">
                    {c.before ? JSON.stringify(c.before, null, 2) : "(none)"}
                  </pre>
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs">
                    {c.after ? JSON.stringify(c.after, null, 2) : "(none)"}
                  </pre>
                </div>
              ))}
              {d.rescheduleLinks.length > 0 && (
                <p className="text-xs">
                  Reschedule chain: {d.rescheduleLinks.map((l) => `${l.fromUid} -> ${l.toUid}`).join(", ")}
                </p>
              )}
            </section>

            <section aria-label="Processing attempts">
              <h3 className="mb-1 font-semibold text-slate-700">Processing attempts</h3>
              {d.attemptLog.length === 0 && <p className="text-xs text-slate-500">Not processed yet.</p>}
              <ol className="space-y-1 text-xs">
                {d.attemptLog.map((a) => (
                  <li key={a.id}>
                    #{a.attempt} <Time at={a.startedAt} seconds /> <Badge tone={statusTone(a.status)}>{a.status}</Badge>{" "}
                    {a.outcome}
                    {a.error && a.error !== a.outcome ? ` (${a.error})` : ""}
                  </li>
                ))}
              </ol>
            </section>

            <section aria-label="Headers">
              <h3 className="mb-1 font-semibold text-slate-700">Headers (secrets redacted)</h3>
              <table className="text-xs">
                <tbody>
                  {Object.entries(d.headers).map(([k, v]) => (
                    <tr key={k}>
                      <td className="pr-3 font-mono text-slate-500">{k}</td>
                      <td className="font-mono">{v}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>

            <section aria-label="Payload">
              <h3 className="mb-1 font-semibold text-slate-700">
                Payload{d.bodyTruncated ? " (first bytes only: above the size cap)" : ""}
              </h3>
              {d.bodyPurgedAt ? (
                <p className="text-xs text-slate-500">
                  Purged by retention on <Time at={d.bodyPurgedAt} />.
                </p>
              ) : (
                <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
                  {pretty(d.body)}
                </pre>
              )}
            </section>
          </div>
        )}
      </Card>
    </div>
  );
}
