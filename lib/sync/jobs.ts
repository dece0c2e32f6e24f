import "server-only";
import type { AnyJobDefinition } from "@/lib/jobs/queue";

/** The sync jobs (see lib/jobs/queue.ts). */
export const syncJobs: AnyJobDefinition[] = [];
