import "server-only";
import { z } from "zod";
import { defineJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { evaluateAlerts } from "./evaluate";
import { notifyAlertOpened } from "./notify";

/** Every minute, once for the cluster: open, refresh and resolve alerts. */
const evaluateAlertsJob = defineJob({
  name: "alerts-evaluate",
  schema: z.object({}).loose(),
  cron: "* * * * *",
  retryLimit: 1,
  expireInSeconds: 120,
  handler: async (_data, { db }) => {
    await evaluateAlerts(db, { onOpened: notifyAlertOpened });
  },
});

export const alertsJobs: AnyJobDefinition[] = [evaluateAlertsJob];
