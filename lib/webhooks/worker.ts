import "server-only";
import postgres from "postgres";
import { getEnv } from "@/lib/config/env";
import { registerBeforeClose, type DbHandle } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { processBatch } from "./batch";

/**
 * The in-process webhook worker. webhook_deliveries is the queue (status pending); this loop claims batches with
 * SKIP LOCKED (batch.ts), one transaction per batch, and yields to the event loop between batches so requests keep
 * their share of the CPU. It sleeps until woken: by this instance's receiver (in memory), by another instance
 * (LISTEN/NOTIFY on PostgreSQL, debounced so a burst sends a handful of notifications) or by a poll.
 */

const CHANNEL = "webhook_deliveries";
const NOTIFY_DEBOUNCE_MS = 50;

export type WorkerOptions = { batchSize?: number; pollMs?: number; id?: string; concurrency?: number };

type WorkerState = {
  stopped: boolean;
  wake: () => void;
  done: Promise<void>;
  listener?: postgres.Sql;
  processed: number;
};
/**
 * Ingest has priority. While deliveries are being received here (one in flight, or one in the last 100 ms), only the
 * first loop works, and it works in few, large batches: when it has caught up it waits until 200 deliveries have
 * arrived or 500 ms have passed (a batch's fixed cost is then shared, and most requests never meet a running batch;
 * at 2,000 deliveries/s of processing, what a burst leaves behind still drains within about a second once it ends),
 * and it rests after each batch as long as the batch took; with a backlog (its last batch was full) it works back to
 * back, one loop of three, so the backlog drains while ingest keeps most of the machine. Once ingest pauses, every
 * loop works back to back.
 */
type IngestState = { inFlight: number; lastAt: number; received: number };
// On globalThis, like the worker's state: Next bundles the route handlers and instrumentation (which starts the
// worker) separately, so a module-level object would be two objects, and the worker would never see ingest busy.
const ingest: IngestState = ((globalThis as { __calcomWebhookIngest?: IngestState }).__calcomWebhookIngest ??= {
  inFlight: 0,
  lastAt: 0,
  received: 0,
});
export function ingestStarted(): void {
  ingest.inFlight++;
  ingest.received++;
  ingest.lastAt = performance.now();
}
export function ingestEnded(): void {
  ingest.inFlight = Math.max(0, ingest.inFlight - 1);
  ingest.lastAt = performance.now();
}
const isIngestBusy = () => ingest.inFlight > 0 || performance.now() - ingest.lastAt < 100;
const BUSY_BATCH = 200;
const BUSY_MAX_WAIT_MS = 500;
const BUSY_POLL_MS = 10;

type Global = typeof globalThis & {
  __calcomWebhookWorker?: WorkerState;
  __calcomWebhookNotify?: { sql: postgres.Sql | null; timer: NodeJS.Timeout | null };
};
const g = globalThis as Global;

/**
 * Starts this process's worker (idempotent). Processing waits on the database far more than it computes, so on
 * PostgreSQL a few loops run side by side (SKIP LOCKED gives them disjoint rows); PGlite has one connection, which
 * a batch transaction holds, so it runs one loop of small batches.
 */
export async function startWebhookWorker(handle: DbHandle, opts: WorkerOptions = {}): Promise<void> {
  if (g.__calcomWebhookWorker && !g.__calcomWebhookWorker.stopped) return;
  const isPglite = handle.kind === "pglite";
  const batchSize = opts.batchSize ?? (isPglite ? 10 : 200);
  const loops = opts.concurrency ?? (isPglite ? 1 : 3);
  const pollMs = opts.pollMs ?? 1000;
  const sleepers = new Set<() => void>();
  let wakeCount = 0;
  const state: WorkerState = {
    stopped: false,
    processed: 0,
    wake: () => {
      wakeCount++;
      for (const wake of [...sleepers]) wake();
    },
    done: Promise.resolve(),
  };
  const sleep = (seen: number) =>
    new Promise<void>((resolve) => {
      if (wakeCount !== seen || state.stopped) return resolve();
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });
  // The first loop's last batch while ingest was busy: when it ended, how long it took, whether it was full.
  const last = { endedAt: 0, tookMs: 0, isFull: false, receivedAt: ingest.received };
  const loop = async (n: number) => {
    const id = `${opts.id ?? `worker-${process.pid}`}/${n}`;
    while (!state.stopped) {
      const seen = wakeCount;
      const isBusy = isIngestBusy();
      if (isBusy && (n > 0 || !isDueWhileBusy(last))) {
        await delay(n > 0 ? 20 : BUSY_POLL_MS);
        continue;
      }
      const limit = isBusy ? Math.min(BUSY_BATCH, batchSize) : batchSize;
      const startedAt = performance.now();
      const receivedBefore = ingest.received;
      let claimed = 0;
      try {
        claimed = await processBatch(handle.db, { limit, workerId: id });
        state.processed += claimed;
      } catch (error) {
        // Database down or a batch failed as a whole: its rows stay pending; try again after a poll interval.
        console.warn("[webhooks] worker batch failed:", error instanceof Error ? error.message : error);
        claimed = 0;
      }
      if (n === 0) {
        const endedAt = performance.now();
        Object.assign(last, {
          endedAt,
          tookMs: endedAt - startedAt,
          isFull: claimed >= limit,
          receivedAt: receivedBefore,
        });
      }
      // A full batch: more is waiting; let requests run first, then go on. Otherwise sleep until woken or polled.
      if (claimed >= limit) await new Promise((resolve) => setImmediate(resolve));
      else await sleep(seen);
    }
  };
  state.done = Promise.all(Array.from({ length: loops }, (_, n) => loop(n))).then(() => undefined);
  g.__calcomWebhookWorker = state;
  registerBeforeClose(stopWebhookWorker);
  if (handle.kind === "postgres" && handle.url) {
    try {
      state.listener = postgres(handle.url, {
        max: 1,
        onnotice: () => {},
        connection: { application_name: "calcom-diagnostics-webhooks" },
      });
      await state.listener.listen(CHANNEL, () => state.wake());
    } catch (error) {
      console.warn("[webhooks] LISTEN unavailable, polling only:", error instanceof Error ? error.message : error);
    }
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** While ingest is busy: rested as long as the last batch took, and (once caught up) enough arrived to be worth it. */
function isDueWhileBusy(last: { endedAt: number; tookMs: number; isFull: boolean; receivedAt: number }): boolean {
  const sinceLast = performance.now() - last.endedAt;
  // A backlog (the last batch was full): one loop works it back to back, the others stay out of ingest's way.
  if (last.isFull) return true;
  if (sinceLast < last.tookMs) return false;
  return ingest.received - last.receivedAt >= BUSY_BATCH || sinceLast >= BUSY_MAX_WAIT_MS;
}

export async function stopWebhookWorker(): Promise<void> {
  const state = g.__calcomWebhookWorker;
  if (!state) return;
  state.stopped = true;
  state.wake();
  await state.done;
  await state.listener?.end({ timeout: 2 }).catch(() => {});
  g.__calcomWebhookWorker = undefined;
  const notify = g.__calcomWebhookNotify;
  if (notify?.timer) clearTimeout(notify.timer);
  await notify?.sql?.end({ timeout: 2 }).catch(() => {});
  g.__calcomWebhookNotify = undefined;
}

export const isWebhookWorkerRunning = () => Boolean(g.__calcomWebhookWorker && !g.__calcomWebhookWorker.stopped);

/**
 * Wake the workers: this process's at once; the other instances' through one NOTIFY per debounce window, sent off
 * the request path (a failure only leaves them to their poll).
 */
export function notifyWebhookWorkers(): void {
  g.__calcomWebhookWorker?.wake();
  const url = getEnv().DATABASE_URL;
  if (!url) return;
  const notify = (g.__calcomWebhookNotify ??= { sql: null, timer: null });
  if (notify.timer) return;
  notify.timer = setTimeout(() => {
    notify.timer = null;
    notify.sql ??= postgres(url, {
      max: 1,
      // Closed when idle, so a script that received deliveries (CLI, seeding, the demo replay) can exit.
      idle_timeout: 5,
      onnotice: () => {},
      connection: { application_name: "calcom-diagnostics-notify" },
    });
    notify.sql.notify(CHANNEL, "").catch(() => {});
  }, NOTIFY_DEBOUNCE_MS);
  notify.timer.unref();
}

/** Process the queue until it is empty (CLI, tests, the cron safety net); returns how many were taken. */
export async function drainWebhookQueue(
  db: Db,
  opts: { batchSize?: number; budgetMs?: number; workerId?: string } = {},
): Promise<number> {
  const deadline = Date.now() + (opts.budgetMs ?? 20_000);
  let total = 0;
  while (Date.now() < deadline) {
    const n = await processBatch(db, { limit: opts.batchSize ?? 50, workerId: opts.workerId ?? "drain" });
    total += n;
    if (n === 0) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}
