import "server-only";
import { timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { webhookSubscriptionChecks } from "@/drizzle/schema/ops";
import { createCalcomHttp } from "@/lib/calcom/client";
import { listWebhooks, type CalcomWebhookSubscription } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { getEnv } from "@/lib/config/env";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db } from "@/lib/db/types";
import { loadSecretCandidates } from "@/lib/webhooks/settings";

/**
 * Does Cal.com's webhook subscription still point at us with what we need? Reads GET /v2/webhooks and reports drift:
 * a subscription to our receiver URL, active, with the triggers we apply, a secret we know, and no payload template
 * (a template changes the body Cal.com signs, so deliveries no longer parse as Cal.com's payload).
 */

export const REQUIRED_TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_REQUESTED",
  "BOOKING_RESCHEDULED",
  "BOOKING_CANCELLED",
  "BOOKING_REJECTED",
] as const;

export type SubscriptionIssue = {
  code:
    | "no_subscription"
    | "inactive"
    | "missing_triggers"
    | "no_secret"
    | "unknown_secret"
    | "payload_template"
    | "check_failed";
  message: string;
};
export type SubscriptionReport = {
  companyId: number;
  checkedAt: string;
  isOk: boolean;
  issues: SubscriptionIssue[];
  /** Our receiver's URL(s) the subscription must use. */
  expectedUrls: string[];
  /** Cal.com's subscriptions, secrets never included. */
  webhooks: {
    id: string;
    subscriberUrl: string;
    active: boolean;
    triggers: string[];
    hasSecret: boolean;
    hasPayloadTemplate: boolean;
    isOurs: boolean;
  }[];
  error: string | null;
};

function receiverPaths(slug: string): string[] {
  return [`/api/webhooks/calcom/${slug}`, "/api/webhooks/calcom"];
}

/** Ours: the path of our receiver (pinned or shared) and, when APP_URL is set, its origin. */
function isOurUrl(url: string, slug: string, appUrl: string | undefined): boolean {
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/\/+$/, "");
    if (!receiverPaths(slug).includes(path)) return false;
    return !appUrl || u.origin === new URL(appUrl).origin;
  } catch {
    return false;
  }
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The drift of one subscription list against what a company needs. Pure: the list comes from Cal.com. */
export function assessSubscriptions(
  list: CalcomWebhookSubscription[],
  ctx: { slug: string; appUrl?: string; secrets: string[] },
): { issues: SubscriptionIssue[]; webhooks: SubscriptionReport["webhooks"] } {
  const webhooks = list.map((w) => ({
    id: String(w.id),
    subscriberUrl: w.subscriberUrl,
    active: w.active,
    triggers: w.triggers,
    hasSecret: Boolean(w.secret),
    hasPayloadTemplate: Boolean(w.payloadTemplate?.trim()),
    isOurs: isOurUrl(w.subscriberUrl, ctx.slug, ctx.appUrl),
  }));
  const ours = list.filter((w) => isOurUrl(w.subscriberUrl, ctx.slug, ctx.appUrl));
  const issues: SubscriptionIssue[] = [];
  if (ours.length === 0) {
    const seen = list.map((w) => w.subscriberUrl).join(", ");
    issues.push({
      code: "no_subscription",
      message: `No Cal.com webhook points at our receiver${seen ? ` (found: ${seen})` : " (Cal.com lists none)"}.`,
    });
    return { issues, webhooks };
  }
  // The best of ours is judged: active ones first.
  const w = ours.find((o) => o.active) ?? ours[0]!;
  if (!w.active)
    issues.push({ code: "inactive", message: `The webhook ${w.id} to ${w.subscriberUrl} is inactive in Cal.com.` });
  const missing = REQUIRED_TRIGGERS.filter((t) => !w.triggers.includes(t));
  if (missing.length)
    issues.push({ code: "missing_triggers", message: `The webhook does not send ${missing.join(", ")}.` });
  if (!w.secret)
    issues.push({
      code: "no_secret",
      message: 'The webhook has no secret: Cal.com signs with "no-secret-provided" and we reject its deliveries.',
    });
  else if (!ctx.secrets.some((s) => sameSecret(s, w.secret!)))
    issues.push({
      code: "unknown_secret",
      message:
        "The webhook's secret is none of ours: its deliveries fail verification. Copy the current secret from Settings.",
    });
  if (w.payloadTemplate?.trim())
    issues.push({
      code: "payload_template",
      message:
        "The webhook has a custom payload template: Cal.com then sends (and signs) another body than its booking payload. Remove it.",
    });
  return { issues, webhooks };
}

export async function checkWebhookSubscription(db: Db, companyId: number): Promise<SubscriptionReport> {
  const company = await getCompanyOrThrow(db, companyId);
  const appUrl = getEnv().APP_URL;
  const expectedUrls = receiverPaths(company.slug).map((p) => (appUrl ? new URL(p, appUrl).toString() : p));
  let issues: SubscriptionIssue[] = [];
  let webhooks: SubscriptionReport["webhooks"] = [];
  let error: string | null = null;
  try {
    const { data } = await listWebhooks(await createCalcomHttp(db, companyId));
    const [candidates] = await loadSecretCandidates(db, [companyId]);
    ({ issues, webhooks } = assessSubscriptions(data, {
      slug: company.slug,
      appUrl,
      secrets: (candidates?.candidates ?? []).map((c) => c.secret),
    }));
  } catch (e) {
    error = e instanceof CalcomError ? `${e.calCode}: ${e.message}` : e instanceof Error ? e.message : String(e);
    issues = [{ code: "check_failed", message: `GET /v2/webhooks failed: ${error}` }];
  }
  const row = { companyId, checkedAt: new Date(), isOk: issues.length === 0, issues, webhooks, error };
  await db
    .insert(webhookSubscriptionChecks)
    .values(row)
    .onConflictDoUpdate({ target: webhookSubscriptionChecks.companyId, set: { ...row, checkedAt: sql`now()` } });
  return { ...row, checkedAt: row.checkedAt.toISOString(), expectedUrls };
}
