"use client";

import { plural } from "@/lib/time/format";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ErrorMessage } from "@/components/ui/query-state";
import { Table, type Column } from "@/components/ui/table";
import { useOutbox, type OutboxPage } from "@/lib/client/queries/bookings";
import { Time } from "@/components/ui/time";

type Message = OutboxPage["items"][number];
const TONE: Record<Message["state"], Tone> = { pending: "amber", sent: "green", dead: "red" };

const COLUMNS: Column<Message>[] = [
  { key: "created", header: "Created", className: "whitespace-nowrap", cell: (m) => <Time at={m.createdAt} /> },
  {
    key: "to",
    header: "To",
    className: "text-xs",
    cell: (m) => (
      <>
        {m.channel}: {m.recipient}
      </>
    ),
  },
  {
    key: "subject",
    header: "Subject",
    cell: (m) => (
      <>
        {m.subject}
        <div className="text-xs text-slate-500">{m.topic}</div>
      </>
    ),
  },
  {
    key: "state",
    header: "State",
    cell: (m) => (
      <>
        <Badge tone={TONE[m.state]}>{m.state}</Badge>{" "}
        <span className="text-xs text-slate-500">{plural(m.attempts, "try", "tries")}</span>
        {m.lastError && <div className="text-xs text-red-700">{m.lastError}</div>}
      </>
    ),
  },
];

export function OutboxView({ companyId }: { companyId?: number }) {
  const outbox = useOutbox(companyId);
  return (
    <Card title="Staff notifications (outbox)">
      <ErrorMessage error={outbox.error} />
      {(outbox.data || !outbox.error) && (
        <Table
          label="Outbox"
          rows={outbox.data?.items ?? []}
          columns={COLUMNS}
          rowKey={(m) => m.id}
          isLoading={outbox.isLoading}
          empty="No notifications yet."
        />
      )}
    </Card>
  );
}
