import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies } from "@/drizzle/schema/core";
import { reconcileRemoteBookings, reconcileRuns } from "@/drizzle/schema/reconcile";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { STALE_QUEUED_MINUTES, STALE_RUNNING_MINUTES, sweepStaleReconcileRuns } from "./sweep";

// A reconciliation run left "running" or "queued" by a crash is closed as failed, like an abandoned sync run.
let db: Db;
let companyId: number;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  db = await getTestDb();
  const slug = `sweep-${randomUUID()}`;
  const [row] = await db.insert(companies).values({ name: slug, slug }).returning({ id: companies.id });
  companyId = row!.id;
});
afterAll(async () => {
  await closeDb();
});

async function run(values: Partial<typeof reconcileRuns.$inferInsert>) {
  const [row] = await db
    .insert(reconcileRuns)
    .values({
      companyId,
      mode: "full",
      rangeFrom: minutesAgo(60 * 24),
      rangeTo: new Date(),
      actorLabel: "sweep-test",
      ...values,
    })
    .returning();
  return row!;
}

describe("sweepStaleReconcileRuns", () => {
  it("fails runs stuck running past the job's limit or queued for hours, drops their staging rows, and leaves live ones", async () => {
    const deadRunning = await run({
      status: "running",
      createdAt: minutesAgo(STALE_RUNNING_MINUTES + 5),
      startedAt: minutesAgo(STALE_RUNNING_MINUTES + 1),
    });
    const liveRunning = await run({ status: "running", createdAt: minutesAgo(10), startedAt: minutesAgo(9) });
    const lostQueued = await run({ status: "queued", createdAt: minutesAgo(STALE_QUEUED_MINUTES + 1) });
    const freshQueued = await run({ status: "queued", createdAt: minutesAgo(30) });
    const oldCompleted = await run({
      status: "completed",
      createdAt: minutesAgo(60 * 24),
      startedAt: minutesAgo(60 * 24),
      finishedAt: minutesAgo(60 * 23),
    });
    await db.insert(reconcileRemoteBookings).values({
      runId: deadRunning.id,
      uid: "stale-uid",
      bookingId: 1,
      startsAt: new Date(),
      endsAt: new Date(),
      status: "accepted",
    });

    const swept = await sweepStaleReconcileRuns(db);
    expect(swept).toEqual(expect.arrayContaining([deadRunning.id, lostQueued.id]));
    expect(swept).not.toEqual(expect.arrayContaining([liveRunning.id]));
    expect(swept).not.toEqual(expect.arrayContaining([freshQueued.id]));
    expect(swept).not.toEqual(expect.arrayContaining([oldCompleted.id]));

    const rows = await db
      .select()
      .from(reconcileRuns)
      .where(
        inArray(reconcileRuns.id, [deadRunning.id, liveRunning.id, lostQueued.id, freshQueued.id, oldCompleted.id]),
      );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(deadRunning.id)).toMatchObject({
      status: "failed",
      error: `abandoned: still running after ${STALE_RUNNING_MINUTES} minutes (the instance running it stopped)`,
    });
    expect(byId.get(deadRunning.id)?.finishedAt).toBeInstanceOf(Date);
    expect(byId.get(lostQueued.id)).toMatchObject({
      status: "failed",
      error: "never started: queued for more than 6 hours (its job was lost)",
    });
    expect(byId.get(liveRunning.id)).toMatchObject({ status: "running", error: null });
    expect(byId.get(freshQueued.id)).toMatchObject({ status: "queued", error: null });
    expect(byId.get(oldCompleted.id)).toMatchObject({ status: "completed", error: null });
    expect(
      await db.select().from(reconcileRemoteBookings).where(eq(reconcileRemoteBookings.runId, deadRunning.id)),
    ).toEqual([]);

    // A second sweep finds nothing more of these.
    expect(await sweepStaleReconcileRuns(db)).not.toEqual(expect.arrayContaining([deadRunning.id]));
  });
});
