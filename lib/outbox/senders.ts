import "server-only";
import { createHmac } from "node:crypto";
import type { OutboxChannel, OutboxMessage } from "@/drizzle/schema/booking";
import { outboundFetch } from "@/lib/net/outbound-fetch";
import { getEnv } from "@/lib/config/env";
import { isSlackUrl, slackPayload } from "./slack";
import { isSmtpConfigured, smtpEmailSender } from "./smtp";

/**
 * Pluggable delivery: one sender per channel. Email goes through SMTP when SMTP_URL is set, else to the server log
 * ("console" sender); register another sender (a mail API) with registerOutboxSender at boot.
 */
export type OutboxSender = (message: OutboxMessage) => Promise<void>;

const WEBHOOK_TIMEOUT_MS = 5_000;

const consoleEmailSender: OutboxSender = async (m) => {
  console.info(`[outbox] email #${m.id} to ${m.recipient}: ${m.subject}\n${m.body}`);
};

/** The operator's own OUTBOX_WEBHOOK_URL list is trusted; any other recipient (a company's notify URL) is checked. */
function isOperatorUrl(url: string): boolean {
  return (getEnv().OUTBOX_WEBHOOK_URL ?? "").split(",").some((u) => u.trim() === url);
}

/** POSTs the message as JSON; signs the exact body with OUTBOX_WEBHOOK_SECRET when set. Redirects count as failure. */
export const webhookSender: OutboxSender = async (m) => {
  const body = JSON.stringify(
    isSlackUrl(m.recipient, getEnv().OUTBOX_WEBHOOK_FORMAT)
      ? slackPayload(m)
      : {
          id: m.id,
          topic: m.topic,
          companyId: m.companyId,
          subject: m.subject,
          text: m.body,
          data: m.data,
          createdAt: m.createdAt,
        },
  );
  const headers: Record<string, string> = { "content-type": "application/json", "x-outbox-topic": m.topic };
  const secret = getEnv().OUTBOX_WEBHOOK_SECRET;
  if (secret) headers["x-outbox-signature-256"] = createHmac("sha256", secret).update(body).digest("hex");
  const init = { method: "POST", headers, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) };
  const res = isOperatorUrl(m.recipient)
    ? await fetch(m.recipient, { ...init, redirect: "manual" })
    : await outboundFetch(m.recipient, init);
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered HTTP ${res.status}`);
};

const senders = new Map<OutboxChannel, OutboxSender>([
  ["email", consoleEmailSender],
  ["webhook", webhookSender],
]);

const registered = new Set<OutboxChannel>();

export function getOutboxSender(channel: OutboxChannel): OutboxSender {
  // SMTP_URL set: email goes through SMTP (lib/outbox/smtp.ts) unless a sender was registered explicitly.
  if (channel === "email" && !registered.has("email") && isSmtpConfigured()) return smtpEmailSender;
  const sender = senders.get(channel);
  if (!sender) throw new Error(`no outbox sender for channel ${channel}`);
  return sender;
}
