import "server-only";
import { sql } from "drizzle-orm";
import { OUTBOX_CHANNELS, type OutboxChannel } from "@/drizzle/schema/booking";
import { getEnv } from "@/lib/config/env";
import { queryRows, type Db } from "@/lib/db/types";
import { defaultRecipients } from "./outbox";
import { describeSmtp } from "./smtp";

/** The Settings panel's view of each notification channel: how it delivers, its last delivery and its last error. */

type ChannelRecipientStatus = {
  recipient: string;
  lastSentAt: string | null;
  lastSubject: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  pending: number;
  dead: number;
};
export type ChannelStatus = {
  channel: OutboxChannel;
  /** How messages leave: "SMTP smtp://mail:587", "server log (no SMTP_URL)", "JSON POST", "Slack-compatible POST". */
  delivery: string;
  defaultRecipients: string[];
  recipients: ChannelRecipientStatus[];
};

function redactRecipient(channel: OutboxChannel, to: string): string {
  if (channel !== "webhook") return to;
  // Incoming-webhook URLs carry their secret in the path (hooks.slack.com/services/T…/B…/xyz): show the host only.
  try {
    const u = new URL(to);
    return `${u.origin}/…${u.hash}`;
  } catch {
    return "(invalid URL)";
  }
}

export async function getOutboxChannelStatus(db: Db): Promise<ChannelStatus[]> {
  // One pass over the recipients with any message in the last 30 days (outbox_messages_due / _id_desc keep it cheap).
  const rows = await queryRows<{
    channel: OutboxChannel;
    recipient: string;
    last_sent_at: string | null;
    last_subject: string | null;
    last_error_at: string | null;
    last_error: string | null;
    pending: number;
    dead: number;
  }>(
    db,
    sql`select channel, recipient,
          max(sent_at) as last_sent_at,
          (array_agg(subject order by sent_at desc nulls last))[1] as last_subject,
          max(created_at) filter (where last_error is not null) as last_error_at,
          (array_agg(last_error order by id desc) filter (where last_error is not null))[1] as last_error,
          count(*) filter (where state = 'pending')::int as pending,
          count(*) filter (where state = 'dead')::int as dead
        from outbox_messages where created_at > now() - interval '30 days'
        group by channel, recipient order by channel, max(id) desc limit 100`,
  );
  const env = getEnv();
  const defaults = defaultRecipients();
  const smtp = describeSmtp();
  return OUTBOX_CHANNELS.map((channel) => ({
    channel,
    delivery:
      channel === "email"
        ? smtp
          ? `SMTP ${smtp}`
          : "server log (set SMTP_URL to send email)"
        : env.OUTBOX_WEBHOOK_FORMAT === "slack"
          ? "Slack-compatible POST ({text, blocks})"
          : "JSON POST (Slack-compatible for hooks.slack.com or #slack URLs)",
    defaultRecipients: defaults.filter((r) => r.channel === channel).map((r) => redactRecipient(channel, r.to)),
    recipients: rows
      .filter((r) => r.channel === channel)
      .map((r) => ({
        recipient: redactRecipient(channel, r.recipient),
        lastSentAt: r.last_sent_at ? new Date(r.last_sent_at).toISOString() : null,
        lastSubject: r.last_sent_at ? r.last_subject : null,
        lastErrorAt: r.last_error_at ? new Date(r.last_error_at).toISOString() : null,
        lastError: r.last_error,
        pending: r.pending,
        dead: r.dead,
      })),
  }));
}
