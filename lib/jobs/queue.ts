import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import PgBoss from "pg-boss";
import type { z } from "zod";
import { getDbHandle, registerBeforeClose, type DbHandle } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";

/**
 * The PostgreSQL job queue (pg-boss). Every instance runs workers; pg-boss hands each job to exactly one of them
 * (SKIP LOCKED), retries failures with backoff, and runs each cron schedule once per tick across all instances.
 *
 * A job is declared once, as a JobDefinition in a module's jobs.ts and listed in registry.ts. Handlers take plain data
 * (validated with the definition's zod schema) and the database, so tests call the same code directly.
 */
type JobContext = { db: Db; jobId: string; attempt: number };

export type JobDefinition<T = unknown> = {
  name: string;
  schema: z.ZodType<T>;
  handler: (data: T, ctx: JobContext) => Promise<void>;
  /** Retries (default 5, with exponential backoff from 10 s) and the time a single attempt may take. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
  /** How many jobs one instance works at once (default 2: the machine has two cores). */
  concurrency?: number;
  /**
   * pg-boss queue policy. "stately": per singletonKey at most one queued and one active job (syncs per company);
   * "short": at most one queued. Default "standard" (no limit; singletonKey is then ignored).
   */
  policy?: "standard" | "short" | "singleton" | "stately";
  /** A cron expression (UTC): pg-boss enqueues one job per tick for the whole cluster. */
  cron?: string;
};

// Definitions are stored type-erased; defineJob keeps each handler's data type at the declaration.
export type AnyJobDefinition = JobDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

export type SendOptions = {
  /** With a "stately"/"short" policy: at most one queued job with this key (e.g. one sync per company). */
  singletonKey?: string;
  /** With singletonKey, on any policy: at most one job per key in each slot of this many seconds (pg-boss throttling). */
  singletonSeconds?: number;
  startAfterSeconds?: number;
  retryLimit?: number;
};

type QueueState = {
  boss: PgBoss;
  db: Db;
  workers: boolean;
  definitions: Map<string, AnyJobDefinition>;
  /** This process's worker ids per queue, to wake one when this process sends a job. */
  workerIds: Map<string, string[]>;
};
type Global = typeof globalThis & { __calcomQueue?: Promise<QueueState> };
const g = globalThis as Global;

/** pg-boss on the embedded database: share the PGlite instance Drizzle uses (a second opener would corrupt it). */
function pgliteExecutor(pglite: NonNullable<DbHandle["pglite"]>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      if (values?.length) return pglite.query(text, values as unknown[]) as Promise<{ rows: unknown[] }>;
      const results = await pglite.exec(text); // schema DDL is multi-statement
      return (results[results.length - 1] ?? { rows: [] }) as { rows: unknown[] };
    },
  };
}

function bossOptions(handle: DbHandle, workers: boolean): PgBoss.ConstructorOptions {
  const common = {
    schema: "pgboss",
    application_name: "calcom-diagnostics-jobs",
    // Senders (CLI, tests) only insert jobs; the servers maintain the queue and its schedules.
    supervise: workers,
    schedule: workers,
    migrate: true,
  } satisfies PgBoss.ConstructorOptions;
  if (handle.pglite) return { ...common, db: pgliteExecutor(handle.pglite) };
  if (!handle.url) throw new Error("The job queue needs a PostgreSQL connection string or the embedded database.");
  return { ...common, connectionString: handle.url, max: handle.kind === "pglite-via-server" ? 1 : 4 };
}

/**
 * Start the queue for this process. workers=true (servers) also starts a worker per definition and the schedules;
 * workers=false (CLI, tests) only sends. Idempotent per process.
 */
export function startJobQueue(
  definitions: AnyJobDefinition[],
  options: { workers: boolean; handle?: DbHandle },
): Promise<QueueState> {
  g.__calcomQueue ??= (async () => {
    const handle = options.handle ?? (await getDbHandle());
    const boss = new PgBoss(bossOptions(handle, options.workers));
    boss.on("error", (error: Error) => console.error("[jobs] queue error:", error.message));
    await boss.start();
    const state: QueueState = {
      boss,
      db: handle.db,
      workers: options.workers,
      definitions: new Map(),
      workerIds: new Map(),
    };
    for (const definition of definitions) await register(state, definition);
    registerBeforeClose(stopJobQueue);
    return state;
  })().catch((error: unknown) => {
    g.__calcomQueue = undefined;
    throw error;
  });
  return g.__calcomQueue;
}

async function register(state: QueueState, definition: AnyJobDefinition): Promise<void> {
  const { boss } = state;
  state.definitions.set(definition.name, definition);
  await boss.createQueue(definition.name, {
    name: definition.name,
    retryLimit: definition.retryLimit ?? 5,
    retryDelay: definition.retryDelaySeconds ?? 10,
    retryBackoff: true,
    policy: definition.policy ?? "standard",
    expireInSeconds: definition.expireInSeconds ?? 15 * 60,
  });
  if (!state.workers) return;
  const concurrency = definition.concurrency ?? 2;
  const ids: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    const workerId = await boss.work(
      definition.name,
      { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true },
      async (jobs) => {
        for (const job of jobs) {
          const data = definition.schema.parse(job.data);
          await definition.handler(data, { db: state.db, jobId: job.id, attempt: job.retryCount + 1 });
        }
        // A worker that found a job looks for the next one at once instead of sleeping out the poll interval,
        // so a backlog drains at processing speed; an idle worker polls every 2 s.
        if (workerId) boss.notifyWorker(workerId);
      },
    );
    ids.push(workerId);
  }
  state.workerIds.set(definition.name, ids);
  if (definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: "UTC" });
  else await boss.unschedule(definition.name).catch(() => {});
}

function requireQueue(): Promise<QueueState> {
  if (!g.__calcomQueue) throw new Error("The job queue is not started in this process (startJobQueue).");
  return g.__calcomQueue;
}

/** Jobs sent inside runWithDeferredJobs, for the caller to run itself (the demo history generator, at its clock). */
export type DeferredJob = { definition: AnyJobDefinition; data: unknown };
const deferredScope = new AsyncLocalStorage<DeferredJob[]>();

export function runWithDeferredJobs<T>(sink: DeferredJob[], fn: () => T): T {
  return deferredScope.run(sink, fn);
}

/** Enqueue a job; returns its id, or null when a job with the same singletonKey is already queued. */
export async function sendJob<T>(
  definition: JobDefinition<T>,
  data: T,
  options: SendOptions = {},
): Promise<string | null> {
  const deferred = deferredScope.getStore();
  if (deferred) {
    deferred.push({ definition, data: definition.schema.parse(data) });
    return null;
  }
  const state = await requireQueue();
  if (!state.definitions.has(definition.name)) await register(state, definition);
  const payload = definition.schema.parse(data) as object;
  // pg-boss validates present keys, so only pass the options that are set.
  const sendOptions: PgBoss.SendOptions = {};
  if (options.singletonKey !== undefined) sendOptions.singletonKey = options.singletonKey;
  if (options.singletonSeconds !== undefined) sendOptions.singletonSeconds = options.singletonSeconds;
  if (options.startAfterSeconds !== undefined) sendOptions.startAfter = options.startAfterSeconds;
  if (options.retryLimit !== undefined) sendOptions.retryLimit = options.retryLimit;
  const id = await state.boss.send(definition.name, payload, sendOptions);
  // Sent from a process that works this queue: wake a worker now rather than at its next poll.
  const workers = state.workerIds.get(definition.name);
  if (id && workers?.length && !options.startAfterSeconds)
    state.boss.notifyWorker(workers[Math.floor(Math.random() * workers.length)]!);
  return id;
}

export type JobInfo = { id: string; name: string; state: string; retryCount: number; output: unknown; data: unknown };

export async function getJob(name: string, id: string): Promise<JobInfo | null> {
  const state = await requireQueue();
  const job = await state.boss.getJobById(name, id);
  if (!job) return null;
  return {
    id: job.id,
    name: job.name,
    state: job.state,
    retryCount: job.retryCount,
    output: job.output,
    data: job.data,
  };
}

export async function stopJobQueue(): Promise<void> {
  const current = g.__calcomQueue;
  g.__calcomQueue = undefined;
  if (!current) return;
  const state = await current.catch(() => null);
  await state?.boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
}
