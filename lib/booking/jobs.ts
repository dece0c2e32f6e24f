import "server-only";
import type { AnyJobDefinition } from "@/lib/jobs/queue";

/** The booking jobs (see lib/jobs/queue.ts). */
export const bookingJobs: AnyJobDefinition[] = [];
