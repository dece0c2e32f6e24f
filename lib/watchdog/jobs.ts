import "server-only";
import { z } from "zod";
import { companies } from "@/drizzle/schema/core";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { notifyAlertOpened } from "@/lib/alerts/notify";
import { defineJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { watchdogProbe } from "./probe";
import { checkWebhookSubscription } from "./subscription";

/** Every 15 minutes: each company's Cal.com webhook subscription (GET /v2/webhooks) against what we need. */
const subscriptionCheckJob = defineJob({
  name: "watchdog-subscriptions",
  schema: z.object({}).loose(),
  cron: "*/15 * * * *",
  retryLimit: 1,
  expireInSeconds: 300,
  handler: async (_data, { db }) => {
    // Only companies with a key: without one there is nothing to ask (the sandbox answers GET /v2/webhooks too).
    for (const company of await db.select().from(companies)) {
      if (resolveCalcomTarget(company).apiKey) await checkWebhookSubscription(db, company.id);
    }
    await evaluateAlerts(db, { probes: [watchdogProbe], onOpened: notifyAlertOpened });
  },
});

/** The minute-by-minute part (overdue expectations become missed, alerts open or clear) runs in alerts-evaluate. */
export const watchdogJobs: AnyJobDefinition[] = [subscriptionCheckJob];
