import "server-only";
import type { AnyJobDefinition } from "@/lib/jobs/queue";

/** The reconcile jobs (see lib/jobs/queue.ts). */
export const reconcileJobs: AnyJobDefinition[] = [];
