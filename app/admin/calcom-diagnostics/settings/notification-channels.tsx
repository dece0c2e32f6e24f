"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { ChannelStatus } from "@/lib/outbox/channels";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** Each notification channel (email, webhook): how it delivers, each recipient's last delivery and last error; a test send. */
export function NotificationChannels() {
  const query = useQuery({
    queryKey: queryKeys.outboxChannels,
    queryFn: () => fetchJson<{ channels: ChannelStatus[] }>("/api/admin/calcom/outbox/channels"),
    refetchInterval: 15_000,
  });
  return (
    <Card title="Notification channels">
      {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
      <div className="grid gap-4 lg:grid-cols-2">
        {query.data?.channels.map((c) => (
          <Channel key={c.channel} c={c} />
        ))}
      </div>
    </Card>
  );
}

function Channel({ c }: { c: ChannelStatus }) {
  const queryClient = useQueryClient();
  const [to, setTo] = useState("");
  const test = useMutation({
    mutationFn: () =>
      fetchJson<{ sent: number; failed: number; dead: number; messages: { lastError: string | null }[] }>(
        "/api/admin/calcom/outbox/test",
        { method: "POST", json: { channel: c.channel, to: to.trim() || undefined } },
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.outboxChannels }),
  });
  return (
    <section aria-label={`Channel ${c.channel}`} className="space-y-2 text-sm">
      <h3 className="font-medium capitalize">{c.channel}</h3>
      <p className="text-slate-600">Delivery: {c.delivery}</p>
      <p className="text-slate-600">Default recipients: {c.defaultRecipients.join(", ") || "none"}</p>
      {c.recipients.length === 0 ? (
        <p className="text-slate-500">No notification in the last 30 days.</p>
      ) : (
        <table className="w-full text-left text-xs">
          <thead>
            <tr className="text-slate-500">
              <th>Recipient</th>
              <th>Last delivery</th>
              <th>Last error</th>
              <th>Queue</th>
            </tr>
          </thead>
          <tbody>
            {c.recipients.map((r) => (
              <tr key={r.recipient} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-2 font-mono">{r.recipient}</td>
                <td className="pr-2">
                  {when(r.lastSentAt)}
                  {r.lastSubject ? <div className="text-slate-500">{r.lastSubject}</div> : null}
                </td>
                <td className="pr-2 text-red-700">
                  {r.lastError ? (
                    <>
                      {when(r.lastErrorAt)}: {r.lastError}
                    </>
                  ) : (
                    <span className="text-slate-500">none</span>
                  )}
                </td>
                <td>
                  {r.pending ? <Badge tone="amber">{r.pending} pending</Badge> : null}{" "}
                  {r.dead ? <Badge tone="red">{r.dead} dead</Badge> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="flex flex-wrap items-center gap-2"
        aria-label={`Send a test ${c.channel} notification`}
        onSubmit={(e) => (e.preventDefault(), test.mutate())}
      >
        <Input
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder={
            c.channel === "email" ? "someone@example.com (or defaults)" : "https://hooks.slack.com/… (or defaults)"
          }
          aria-label={`Test ${c.channel} recipient`}
        />
        <Button type="submit" variant="secondary" disabled={test.isPending}>
          Send test
        </Button>
        {test.data && (
          <span className={test.data.sent ? "text-emerald-700" : "text-red-600"}>
            {test.data.sent ? `Sent ${test.data.sent}` : `Failed: ${test.data.messages[0]?.lastError ?? "unknown"}`}
          </span>
        )}
        {test.error && <span className="text-red-600">{test.error.message}</span>}
      </form>
    </section>
  );
}
