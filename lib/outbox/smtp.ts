import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "@/lib/config/env";
import type { OutboxSender } from "./senders";

/**
 * Email through SMTP (nodemailer) when SMTP_URL is set: smtp://user:pass@host:587 (STARTTLS when offered) or
 * smtps://…:465. SMTP_FROM is the sender ("Cal.com Diagnostics <ops@example.com>"). The transport is pooled per URL.
 */

const DEFAULT_FROM = "Cal.com Diagnostics <diagnostics@localhost>";
const TIMEOUT_MS = 10_000;
let cached: { url: string; transport: Transporter } | null = null;

function transportFor(url: string): Transporter {
  if (cached?.url === url) return cached.transport;
  cached?.transport.close();
  const transport = nodemailer.createTransport(url, {
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  cached = { url, transport };
  return transport;
}

export function isSmtpConfigured(): boolean {
  return Boolean(getEnv().SMTP_URL);
}

/** Where email goes, for the Settings panel: host and port only (never the credentials). */
export function describeSmtp(): string | null {
  const url = getEnv().SMTP_URL;
  if (!url) return null;
  const u = new URL(url);
  return `${u.protocol.replace(":", "")}://${u.hostname}${u.port ? `:${u.port}` : ""}`;
}

export const smtpEmailSender: OutboxSender = async (m) => {
  const { SMTP_URL, SMTP_FROM } = getEnv();
  if (!SMTP_URL) throw new Error("SMTP_URL is not set");
  const info = await transportFor(SMTP_URL).sendMail({
    from: SMTP_FROM ?? DEFAULT_FROM,
    to: m.recipient,
    subject: m.subject,
    text: m.body,
    headers: { "X-Outbox-Topic": m.topic, "X-Outbox-Id": String(m.id) },
  });
  if (info.rejected.length > 0)
    throw new Error(`SMTP server rejected ${info.rejected.map(String).join(", ")}: ${info.response}`);
};
