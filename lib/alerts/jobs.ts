import "server-only";
import type { AnyJobDefinition } from "@/lib/jobs/queue";

/** The alerts jobs (see lib/jobs/queue.ts). */
export const alertsJobs: AnyJobDefinition[] = [];
