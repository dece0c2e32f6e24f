import "server-only";
import type { AnyJobDefinition } from "@/lib/jobs/queue";

/** The webhooks jobs (see lib/jobs/queue.ts). */
export const webhooksJobs: AnyJobDefinition[] = [];
