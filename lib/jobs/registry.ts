import "server-only";
import { alertsJobs } from "@/lib/alerts/jobs";
import { bookingJobs } from "@/lib/booking/jobs";
import { reconcileJobs } from "@/lib/reconcile/jobs";
import { slotsJobs } from "@/lib/slots/jobs";
import { syncJobs } from "@/lib/sync/jobs";
import { watchdogJobs } from "@/lib/watchdog/jobs";
import { webhooksJobs } from "@/lib/webhooks/jobs";
import { housekeepingJob } from "./housekeeping";
import type { AnyJobDefinition } from "./queue";

/** Every job the servers work. A module declares its jobs in its own jobs.ts. */
export function allJobs(): AnyJobDefinition[] {
  return [
    housekeepingJob,
    ...webhooksJobs,
    ...syncJobs,
    ...bookingJobs,
    ...reconcileJobs,
    ...alertsJobs,
    ...slotsJobs,
    ...watchdogJobs,
  ];
}
