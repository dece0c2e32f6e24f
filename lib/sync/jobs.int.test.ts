import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { syncRuns } from "@/drizzle/schema/sync";
import { createSandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { getDbHandle } from "@/lib/db/client";
import { sendJob, startJobQueue, stopJobQueue } from "@/lib/jobs/queue";
import { closeDb, getTestDb } from "@/test/db";
import { syncCompanyJob } from "./jobs";
import { createFriseurCompany } from "./test-helpers";

describe("the scheduled sync through the PostgreSQL job queue", () => {
  afterAll(async () => {
    await stopJobQueue();
    await closeDb();
  });

  it("runs a company's sync as trigger 'schedule'; a second enqueue for the same company is refused while one waits", async () => {
    const db = await getTestDb();
    const fx = await createSandboxFixture(db);
    try {
      const { companyId } = await createFriseurCompany(db, fx);
      await startJobQueue([syncCompanyJob], { workers: true, handle: await getDbHandle() });
      const first = await sendJob(
        syncCompanyJob,
        { companyId },
        { singletonKey: `sync:${companyId}`, startAfterSeconds: 1 },
      );
      const second = await sendJob(
        syncCompanyJob,
        { companyId },
        { singletonKey: `sync:${companyId}`, startAfterSeconds: 1 },
      );
      expect(first).toEqual(expect.any(String));
      expect(second).toBeNull();
      const deadline = Date.now() + 25_000;
      let runs = [] as (typeof syncRuns.$inferSelect)[];
      while (Date.now() < deadline) {
        runs = await db
          .select()
          .from(syncRuns)
          .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.status, "succeeded")));
        if (runs.length) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        trigger: "schedule",
        actorLabel: "sync-schedule",
        isCheckOnly: false,
        counts: { matched: 18 },
      });
    } finally {
      await fx.close();
    }
  });
});
