import { afterAll, beforeAll } from "vitest";
import { getDbHandle } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { startJobQueue, stopJobQueue } from "@/lib/jobs/queue";
import { closeDb, getTestDb } from "@/test/db";
import { webhooksJobs } from "./jobs";
import { createWebhookCompany, startReceiverServer, type WebhookTestCompany } from "./test-helpers";
import { startWebhookWorker, stopWebhookWorker } from "./worker";

// Vitest lifecycle for webhook test files, apart from test-helpers.ts, which child processes and the benchmarks
// import outside vitest.

type WebhookTestContext = { db: Db; co: WebhookTestCompany };

/**
 * The one setup for a test file that posts deliveries itself: the run's database and a company of its own, filled
 * into the returned context before the first test; the database closed at the end.
 */
export function withWebhookCompany(): WebhookTestContext {
  const ctx = {} as WebhookTestContext;
  beforeAll(async () => {
    ctx.db = await getTestDb();
    ctx.co = await createWebhookCompany(ctx.db);
  });
  afterAll(async () => {
    await closeDb();
  });
  return ctx;
}

export type ReceiverServer = Awaited<ReturnType<typeof startReceiverServer>>;

/**
 * The one setup for a test file that follows deliveries the whole way they take in production: the job queue with its
 * workers, the delivery worker polling the table, and our receiver served over HTTP for the sandbox to deliver to.
 * All stopped, and the database closed, after the file's own afterAll hooks (vitest runs those first).
 */
export function withWebhookLoop(onReady: (db: Db, receiver: ReceiverServer) => void): void {
  let receiver: ReceiverServer | undefined;
  beforeAll(async () => {
    const db = await getTestDb();
    await startJobQueue(webhooksJobs, { workers: true, handle: await getDbHandle() });
    // Deliveries are their own queue (the table), worked by the in-process batch worker.
    await startWebhookWorker(await getDbHandle(), { pollMs: 200 });
    receiver = await startReceiverServer();
    onReady(db, receiver);
  });
  afterAll(async () => {
    await receiver?.close();
    await stopWebhookWorker();
    await stopJobQueue();
    await closeDb();
  });
}
