import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileRemoteBookings, reconcileRuns } from "@/drizzle/schema/reconcile";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { createTestCompany } from "@/lib/calcom/client-test-helpers";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { PAGE_SIZE, stageRemoteBookings } from "./remote";

// Staging a large range in time windows: every booking once, also those that straddle a window boundary.
let db: Db;
let fx: SandboxFixture;
const HERREN = 3757770;

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
});
afterAll(async () => {
  await fx?.close();
});

describe("stageRemoteBookings", () => {
  it("splits a range over the window size into windows and stages every booking exactly once", async () => {
    const { companyId, http } = await createTestCompany(db, { fx });
    // 300 bookings, one every 2 hours 7 minutes from 2052-01-01, each 90 minutes long: with 120 per window (3 windows
    // of about 10.6 days) some straddle the boundaries, and pages of 250 are needed inside none of them.
    const start0 = Date.parse("2052-01-01T00:00:00Z");
    const bookings = Array.from({ length: 300 }, (_, i) => {
      const start = new Date(start0 + i * 127 * 60_000);
      return {
        uid: `win${i}x${fx.teamId}`,
        eventTypeId: fx.et(HERREN),
        start: start.toISOString(),
        end: new Date(start.getTime() + 90 * 60_000).toISOString(),
        status: "accepted",
        attendee: { name: `K ${i}`, email: `k${i}@example.com` },
      };
    });
    expect((await fx.control("/seed", { body: { tenants: [], bookings } })).status).toBe(201);
    const [run] = await db
      .insert(reconcileRuns)
      .values({
        companyId,
        mode: "full",
        rangeFrom: new Date(start0),
        rangeTo: new Date(start0 + 32 * 86_400_000),
        actorLabel: "test",
        status: "running",
        startedAt: new Date(),
      })
      .returning();
    const result = await stageRemoteBookings(db, http, run!, { windowBookings: 120 });
    const staged = await db
      .select({ uid: reconcileRemoteBookings.uid })
      .from(reconcileRemoteBookings)
      .where(eq(reconcileRemoteBookings.runId, run!.id));
    expect(result.remoteCount).toBe(300);
    expect(staged.map((s) => s.uid).sort()).toEqual(bookings.map((b) => b.uid).sort());
    // The probe page plus one page per window (each window holds fewer than PAGE_SIZE).
    expect(PAGE_SIZE).toBeGreaterThan(120);
    expect(result.pages).toBe(1 + 3);
  });
});
