import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { getDbHandle } from "@/lib/db/client";
import { queryRows, type Db } from "@/lib/db/types";
import { startJobQueue, stopJobQueue } from "@/lib/jobs/queue";
import { closeDb, getTestDb } from "@/test/db";
import { processDeliveryJob, sweepPendingJob, webhooksJobs } from "./jobs";
import { bookingBody, createWebhookCompany, post } from "./test-helpers";

// The pending-delivery sweep re-enqueues a delivery once per slot, however often it runs while the queue is slow.
let db: Db;

beforeAll(async () => {
  db = await getTestDb();
  // Senders only: nothing works the jobs, as when every worker is busy or down.
  await startJobQueue(webhooksJobs, { workers: false, handle: await getDbHandle() });
});
afterAll(async () => {
  await stopJobQueue();
  await closeDb();
});

async function jobsFor(deliveryId: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pgboss.job where name = ${processDeliveryJob.name} and data->>'deliveryId' = ${String(deliveryId)}`,
  );
  return Number(row?.n ?? 0);
}

describe("webhooks-sweep-pending", () => {
  it("uses a singleton key per delivery, so repeated sweeps do not pile up jobs", async () => {
    const co = await createWebhookCompany(db);
    const posted = await post(bookingBody("BOOKING_CREATED", { eventTypeId: co.eventTypeId }), {
      slug: co.slug,
      secret: co.secret,
    });
    expect(posted.status).toBe(200);
    const id = posted.json.id;
    // Stored and enqueued once at receipt; then it waits (no worker) past the sweep's 2-minute threshold.
    expect(await jobsFor(id)).toBe(1);
    await db
      .update(webhookDeliveries)
      .set({ receivedAt: new Date(Date.now() - 5 * 60_000) })
      .where(eq(webhookDeliveries.id, id));
    const ctx = { db, jobId: "sweep-test", attempt: 1 };
    for (let minute = 0; minute < 5; minute++) await sweepPendingJob.handler({}, ctx);
    expect(await jobsFor(id)).toBe(2);
  });
});
