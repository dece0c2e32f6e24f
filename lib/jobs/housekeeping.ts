import "server-only";
import { z } from "zod";
import { pruneExpiredCache } from "@/lib/calcom/cache";
import { pruneApiCalls } from "@/lib/calcom/call-log";
import { pruneSignInThrottle } from "@/lib/auth/throttle";
import { defineJob } from "./queue";

/** Retention of recorded Cal.com calls, expired cache rows and finished sign-in throttle rows, once an hour for the whole cluster. */
export const housekeepingJob = defineJob({
  name: "housekeeping",
  schema: z.object({}).loose(),
  cron: "17 * * * *",
  retryLimit: 2,
  handler: async (_data, { db }) => {
    await Promise.all([pruneApiCalls(db), pruneExpiredCache(db), pruneSignInThrottle(db)]);
  },
});
