import "server-only";
import { eq } from "drizzle-orm";
import { alerts } from "@/drizzle/schema/alerts";
import { companies } from "@/drizzle/schema/core";
import { defaultRecipients, enqueueNotification, type OutboxRecipient } from "@/lib/outbox/outbox";
import type { OnOpened } from "./evaluate";

/**
 * A newly opened alert goes through the outbox to the company's notify email / webhook (alert thresholds in
 * Settings), or to the staff defaults (OUTBOX_EMAIL_TO, OUTBOX_WEBHOOK_URL) when the company names none.
 * Refreshes of an open alert are not re-sent (the dedupe key is the alert id).
 */
export const notifyAlertOpened: OnOpened = async (db, alertId, thresholds) => {
  const [row] = await db
    .select({ alert: alerts, companyName: companies.name })
    .from(alerts)
    .leftJoin(companies, eq(companies.id, alerts.companyId))
    .where(eq(alerts.id, alertId));
  if (!row) return;
  const { alert, companyName } = row;
  const own: OutboxRecipient[] = [
    ...(thresholds.notifyEmail ? [{ channel: "email" as const, to: thresholds.notifyEmail }] : []),
    ...(thresholds.notifyWebhookUrl ? [{ channel: "webhook" as const, to: thresholds.notifyWebhookUrl }] : []),
  ];
  await enqueueNotification(db, {
    companyId: alert.companyId,
    topic: "alert.opened",
    subject: `[${alert.severity}] ${companyName ?? "All companies"}: ${alert.title}`,
    text: `${alert.message}\n\nOpened ${alert.openedAt.toISOString()}. See the overview of Cal.com Diagnostics.`,
    data: { alertId: alert.id, kind: alert.kind, key: alert.key, severity: alert.severity, details: alert.details },
    dedupeKey: `alert:${alert.id}`,
    recipients: own.length ? own : defaultRecipients(),
  });
};
