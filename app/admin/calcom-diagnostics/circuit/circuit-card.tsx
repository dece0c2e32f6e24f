"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { useZonedDateTime, ZonedDateTimeField } from "@/components/ui/zoned-datetime-input";
import { fetchJson } from "@/lib/client/fetch-json";
import { formatDateTime } from "@/lib/time/format";
import type { CircuitJson } from "./circuit-panel";
import { TestConnection } from "./test-connection";
import { useNow } from "@/lib/client/use-now";

const STATE_TONE: Record<string, Tone> = { closed: "green", open: "red", half_open: "amber" };

type Action = "reset" | "force-open" | null;

export function CircuitCard({ circuit: c, canOperate }: { circuit: CircuitJson; canOperate: boolean }) {
  const client = useQueryClient();
  const [action, setAction] = useState<Action>(null);
  const [reason, setReason] = useState("");
  const now = useNow();
  const until = useZonedDateTime(new Date(now + 30 * 60_000));
  const [done, setDone] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (a: Exclude<Action, null>) =>
      fetchJson(`/api/admin/calcom/circuit/${a}`, {
        method: "POST",
        json: a === "reset" ? { companyId: c.companyId, reason } : { companyId: c.companyId, reason, until: until.iso },
      }),
    onSuccess: (_data, a) => {
      setDone(
        a === "reset"
          ? `Circuit of ${c.companyName} reset: calls go to Cal.com again.`
          : `Circuit of ${c.companyName} held open until ${until.instant ? formatDateTime(until.instant, until.zone) : "the time given"}.`,
      );
      setAction(null);
      setReason("");
      return client.invalidateQueries({ queryKey: ["circuit"] });
    },
  });

  return (
    <Card
      title={c.companyName}
      actions={
        <span data-testid={`circuit-state-${c.companyId}`}>
          <Badge tone={STATE_TONE[c.state]}>{c.state.replace("_", "-")}</Badge>{" "}
          {c.isForcedOpen && <Badge tone="red">maintenance</Badge>}{" "}
          {!c.isConfigured && <Badge tone="red">Cal.com not configured</Badge>}
        </span>
      }
    >
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Consecutive failures</dt>
        <dd data-testid={`circuit-failures-${c.companyId}`}>
          {c.consecutiveFailures} / {c.thresholds.failureThreshold}
        </dd>
        <dt className="text-slate-500">Last failure</dt>
        <dd>
          {c.lastFailure ? (
            <>
              {c.lastFailure.code} {c.lastFailure.status ?? ""} · <Time at={c.lastFailure.at} />
            </>
          ) : (
            "none"
          )}
        </dd>
        {c.lastFailure?.message && (
          <dd className="col-span-2 truncate font-mono text-xs text-slate-500" title={c.lastFailure.message}>
            {c.lastFailure.message}
          </dd>
        )}
        <dt className="text-slate-500">Opened at</dt>
        <dd>
          <Time at={c.openedAt} fallback="not open" />
        </dd>
        <dt className="text-slate-500">Open until</dt>
        <dd>
          <Time at={c.forcedOpenUntil ?? c.openUntil} fallback="not open" />
        </dd>
        <dt className="text-slate-500">Half-open trials</dt>
        <dd>
          {c.halfOpenInFlight} / {c.thresholds.halfOpenMaxCalls}
        </dd>
        <dt className="text-slate-500">Thresholds</dt>
        <dd>
          {c.thresholds.failureThreshold} failures · open {c.thresholds.openSeconds} s · {c.thresholds.halfOpenMaxCalls}{" "}
          trials
        </dd>
      </dl>

      {canOperate && (
        <div className="mt-4 space-y-2">
          <div className="flex flex-wrap gap-2">
            <Button
              variant="secondary"
              onClick={() => {
                setDone(null);
                setAction(action === "reset" ? null : "reset");
              }}
            >
              Reset…
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setDone(null);
                setAction(action === "force-open" ? null : "force-open");
              }}
            >
              Force open…
            </Button>
            <TestConnection companyId={c.companyId} />
          </div>
          {action && (
            <form
              aria-label={
                action === "reset" ? `Reset circuit of ${c.companyName}` : `Force open circuit of ${c.companyName}`
              }
              className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3"
              onSubmit={(e) => {
                e.preventDefault();
                mutation.mutate(action);
              }}
            >
              <p className="text-sm text-slate-700">
                {action === "reset"
                  ? `Close the circuit of ${c.companyName} now: the next calls go to Cal.com again, even if it is still failing.`
                  : `Refuse every Cal.com call for ${c.companyName} until the time below: availability lookups fail and new bookings go to the manual queue.`}
              </p>
              <Field label="Reason" hint="Recorded in the circuit history and the audit log.">
                <Input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
              </Field>
              {action === "force-open" && (
                <ZonedDateTimeField label="Hold open until" state={until} required isFutureOnly />
              )}
              <Button type="submit" variant={action === "reset" ? "primary" : "danger"} disabled={mutation.isPending}>
                {mutation.isPending ? "Working…" : action === "reset" ? "Confirm reset" : "Confirm force open"}
              </Button>
              {mutation.error && <p className="text-sm text-red-600">{mutation.error.message}</p>}
            </form>
          )}
          {done && (
            <p role="status" className="text-sm text-emerald-700">
              {done}
            </p>
          )}
        </div>
      )}

      <h3 className="mb-1 mt-4 text-xs font-semibold uppercase text-slate-500">History</h3>
      <ol className="max-h-56 space-y-1 overflow-y-auto text-sm" aria-label={`Circuit history of ${c.companyName}`}>
        {c.events.length === 0 && <li className="text-slate-500">No transitions yet.</li>}
        {c.events.map((e) => (
          <li key={e.id} className="flex gap-2">
            <span className="whitespace-nowrap text-slate-500">
              <Time at={e.at} seconds />
            </span>
            <span className="whitespace-nowrap font-medium">
              {e.from} → {e.to}
            </span>
            <span className="text-slate-600">
              {e.reason}
              {e.actor ? ` (${e.actor})` : ""}
            </span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
