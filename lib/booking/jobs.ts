import "server-only";
import { z } from "zod";
import { defineJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { deliverOutbox } from "@/lib/outbox/outbox";
import { recoverOpenManualBookings } from "./recovery";

/**
 * Every minute, once for the cluster: book the manual queue of every company whose circuit lets calls through again
 * (its first call is the half-open trial; a failure stops the run and the next tick tries again).
 */
const recoverManualBookingsJob = defineJob({
  name: "booking-recover-manual",
  schema: z.object({ companyId: z.number().int().positive().optional() }).loose(),
  cron: "* * * * *",
  policy: "short",
  retryLimit: 0,
  expireInSeconds: 300,
  concurrency: 1,
  handler: async (data, { db }) => {
    const reports = await recoverOpenManualBookings(db, { companyId: data.companyId });
    for (const [companyId, r] of Object.entries(reports)) {
      if (r.items.length)
        console.info(
          `[booking] recovery company ${companyId}: ${r.booked} booked, ${r.conflicts} conflicts, ${r.stillOpen} still open`,
        );
    }
  },
});

/** Every minute: deliver due outbox messages (email / webhook senders); failures back off up to an hour. */
const deliverOutboxJob = defineJob({
  name: "outbox-deliver",
  schema: z.object({}).loose(),
  cron: "* * * * *",
  policy: "short",
  retryLimit: 0,
  expireInSeconds: 120,
  concurrency: 1,
  handler: async (_data, { db }) => {
    await deliverOutbox(db, { limit: 200 });
  },
});

/** The booking jobs (see lib/jobs/queue.ts). */
export const bookingJobs: AnyJobDefinition[] = [recoverManualBookingsJob, deliverOutboxJob];
