import "server-only";
import { z } from "zod";
import { defineJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { pruneSlotQueries } from "./recent-queries";

/** Retention of recorded slot queries (SLOT_QUERY_RETENTION_DAYS, default 30), once a day for the whole cluster. */
const pruneSlotQueriesJob = defineJob({
  name: "slots-prune-queries",
  schema: z.object({}).loose(),
  cron: "41 3 * * *",
  retryLimit: 2,
  handler: async (_data, { db }) => {
    await pruneSlotQueries(db);
  },
});

/** The slot debugger's jobs (to be listed in lib/jobs/registry.ts). */
export const slotsJobs: AnyJobDefinition[] = [pruneSlotQueriesJob];
