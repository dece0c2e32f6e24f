"use client";

import { plural } from "@/lib/time/format";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useOutbox, type OutboxPage } from "@/lib/client/queries/bookings";
import { Time } from "@/components/ui/time";

type Message = OutboxPage["items"][number];
const TONE: Record<Message["state"], Tone> = { pending: "amber", sent: "green", dead: "red" };

export function OutboxView({ companyId }: { companyId?: number }) {
  const outbox = useOutbox(companyId);
  return (
    <Card title="Staff notifications (outbox)">
      {outbox.error && <p className="text-sm text-red-600">{outbox.error.message}</p>}
      {outbox.data?.items.length === 0 && <p className="text-sm text-slate-500">No notifications yet.</p>}
      {outbox.data && outbox.data.items.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Outbox">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-3">Created</th>
                <th className="py-1 pr-3">To</th>
                <th className="py-1 pr-3">Subject</th>
                <th className="py-1 pr-3">State</th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.items.map((m) => (
                <tr key={m.id} className="border-t border-slate-100 align-top">
                  <td className="py-1.5 pr-3 whitespace-nowrap">
                    <Time at={m.createdAt} />
                  </td>
                  <td className="py-1.5 pr-3 text-xs">
                    {m.channel}: {m.recipient}
                  </td>
                  <td className="py-1.5 pr-3">
                    {m.subject}
                    <div className="text-xs text-slate-500">{m.topic}</div>
                  </td>
                  <td className="py-1.5 pr-3">
                    <Badge tone={TONE[m.state]}>{m.state}</Badge>{" "}
                    <span className="text-xs text-slate-500">{plural(m.attempts, "try", "tries")}</span>
                    {m.lastError && <div className="text-xs text-red-700">{m.lastError}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
