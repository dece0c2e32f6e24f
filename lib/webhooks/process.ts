import "server-only";
import * as clock from "@/lib/time/clock";
import { eq, sql } from "drizzle-orm";
import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEffects,
  type WebhookDelivery,
  type WebhookStatus,
} from "@/drizzle/schema/webhooks";
import { recordset } from "@/lib/db/recordset";
import { queryRows, type Db, type DbOrTx } from "@/lib/db/types";
import { noteDeliveryForWatchdog, type ExpectedUids } from "@/lib/watchdog/expectations";
import { applyDelivery } from "./apply";
import type { DeferredCreate } from "./appointment-state";
import { PermanentProcessingError } from "./payload";

/**
 * Processing of one stored delivery, exactly once: one transaction locks the delivery row, takes the dedupe key
 * (unique; a concurrent holder makes us wait, then see it taken) and applies the effect. Any error rolls all of it
 * back, so a failed delivery holds no key and can be retried or reprocessed.
 */

export type ProcessResult = { status: WebhookStatus | "skipped"; outcome: string; shouldRetry: boolean };

export type ProcessOptions = {
  deliveryId: number;
  jobId?: string;
  /** Which statuses are (re)processed; default pending and failed. A job's first attempt takes only pending. */
  statuses?: WebhookStatus[];
  /** Drain mode: a transient error leaves the delivery pending for its own job instead of failed. */
  isDrain?: boolean;
};

const processableStatuses = (opts: ProcessOptions): WebhookStatus[] => opts.statuses ?? ["pending", "failed"];

export async function processDelivery(db: Db, opts: ProcessOptions): Promise<ProcessResult> {
  const processable = processableStatuses(opts);
  const startedAt = clock.now();
  try {
    return await db.transaction(async (tx) => {
      const [d] = await tx
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, opts.deliveryId))
        .for("update");
      if (!d)
        return {
          status: "skipped",
          outcome: `Delivery ${opts.deliveryId} does not exist`,
          shouldRetry: false,
        } as const;
      if (!processable.includes(d.status))
        return {
          status: "skipped",
          outcome: `Delivery ${d.id} is ${d.status}; nothing to do`,
          shouldRetry: false,
        } as const;
      const applied = await applyLocked(tx, d);
      await finish(tx, d, { ...applied, error: null, startedAt, jobId: opts.jobId });
      return { status: applied.status, outcome: applied.outcome, shouldRetry: false };
    });
  } catch (error) {
    return recordFailure(db, opts, error, startedAt);
  }
}

/**
 * What a batch (batch.ts) did up front for all of its deliveries: parsed the body, looked up the watchdog's
 * expectations, took the dedupe keys in one INSERT (keyTakenBy: which delivery now holds each key) and found which
 * uids are new to this database (isFresh, see ApplyContext).
 */
export type BatchScope = {
  json: Record<string, unknown>;
  expected: ExpectedUids;
  keyTakenBy: ReadonlyMap<string, number>;
  isFresh: (uid: string) => boolean;
  deferCreate?: (create: DeferredCreate) => void;
};

/**
 * Takes the dedupe keys of many deliveries in one INSERT, after their booking locks. In the order given the first
 * delivery with a key wins it, as it would applied one by one; a key held already (by a delivery processed before)
 * stays with its holder.
 */
export async function takeDedupeKeys(tx: DbOrTx, deliveries: WebhookDelivery[]): Promise<Map<string, number>> {
  const appliedAt = clock.now();
  const rows = deliveries.flatMap((d) =>
    d.dedupeKey && d.companyId !== null
      ? [{ dedupeKey: d.dedupeKey, companyId: d.companyId, deliveryId: d.id, appliedAt }]
      : [],
  );
  if (rows.length === 0) return new Map();
  const r = recordset(webhookEffects, ["dedupeKey", "companyId", "deliveryId", "appliedAt"], rows);
  const taken = await queryRows<{ dedupe_key: string; delivery_id: string | number }>(
    tx,
    sql`insert into ${webhookEffects} (${r.columns}) select ${r.values} from ${r.from}
        on conflict do nothing returning dedupe_key, delivery_id`,
  );
  return new Map(taken.map((t) => [t.dedupe_key, Number(t.delivery_id)]));
}

export type Applied = { status: WebhookStatus; outcome: string; appointmentId: number | null; duplicateOfId?: number };

/**
 * The effect of one delivery whose row this transaction has locked: take the dedupe key (a concurrent holder makes
 * us wait, then see it taken: a duplicate) and apply it. Throws on any error; the caller rolls back.
 */
export async function applyLocked(tx: DbOrTx, d: WebhookDelivery, batch?: BatchScope): Promise<Applied> {
  if (d.companyId === null || !d.dedupeKey)
    throw new PermanentProcessingError("Delivery has no verified company or dedupe key");
  if (d.body === null)
    throw new PermanentProcessingError("The payload was purged by retention; it cannot be processed");
  const json = batch?.json ?? (JSON.parse(d.body) as Record<string, unknown>);
  const keyTakenBy = batch?.keyTakenBy ?? (await takeDedupeKeys(tx, [d]));
  const taken = keyTakenBy.get(d.dedupeKey) === d.id;
  if (!taken) {
    const [effect] = await tx.select().from(webhookEffects).where(eq(webhookEffects.dedupeKey, d.dedupeKey));
    if (effect && effect.deliveryId !== d.id) {
      await tx
        .update(webhookDeliveries)
        .set({ duplicateCount: sql`${webhookDeliveries.duplicateCount} + 1` })
        .where(eq(webhookDeliveries.id, effect.deliveryId));
      return {
        status: "duplicate",
        outcome: `Duplicate of delivery #${effect.deliveryId}: the same event was already applied once`,
        appointmentId: null,
        duplicateOfId: effect.deliveryId,
      };
    }
  }
  const result = await applyDelivery(
    { tx, delivery: d, companyId: d.companyId, isFresh: batch?.isFresh, deferCreate: batch?.deferCreate },
    json,
  );
  await noteDeliveryForWatchdog(tx, d, json, result.appointmentId, batch?.expected);
  return { status: result.status, outcome: result.outcome, appointmentId: result.appointmentId ?? null };
}

/** A failed attempt, in its own transaction: status failed (retry scheduled unless permanent) and an attempt row. */
async function recordFailure(db: Db, opts: ProcessOptions, error: unknown, startedAt: Date): Promise<ProcessResult> {
  const isPermanent = error instanceof PermanentProcessingError || error instanceof SyntaxError;
  const message = error instanceof Error ? error.message : String(error);
  const outcome = isPermanent ? `Failed: ${message}` : `Failed (will retry with backoff): ${message}`;
  await db.transaction(async (tx) => {
    const [d] = await tx
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, opts.deliveryId))
      .for("update");
    // Another worker may have taken the same delivery meanwhile (a failed batch releases its rows before they are
    // processed one by one) and recorded this very failure already: one attempt row per attempt, not two.
    if (!d || !processableStatuses(opts).includes(d.status)) return;
    const status = opts.isDrain && !isPermanent ? "pending" : "failed";
    const nextAttemptAt = status === "failed" && !isPermanent ? retryAt(d.attempts + 1, startedAt) : null;
    await finish(tx, d, {
      status,
      outcome,
      error: message,
      appointmentId: d.appointmentId,
      startedAt,
      jobId: opts.jobId,
      nextAttemptAt,
    });
  });
  return { status: "failed", outcome, shouldRetry: !isPermanent };
}

/** Transient failures are retried by the queue (worker.ts) 5 times, 5 s apart doubling each time; then left failed. */
const MAX_AUTOMATIC_ATTEMPTS = 6;
function retryAt(attempt: number, from: Date): Date | null {
  if (attempt >= MAX_AUTOMATIC_ATTEMPTS) return null;
  return new Date(from.getTime() + 5_000 * 2 ** (attempt - 1));
}

async function finish(
  tx: DbOrTx,
  d: WebhookDelivery,
  r: {
    status: WebhookStatus;
    outcome: string;
    error: string | null;
    appointmentId: number | null;
    startedAt: Date;
    jobId?: string;
    nextAttemptAt?: Date | null;
    duplicateOfId?: number;
  },
): Promise<void> {
  const attempt = d.attempts + 1;
  const finishedAt = clock.now();
  await tx
    .update(webhookDeliveries)
    .set({
      status: r.status,
      outcome: r.outcome,
      lastError: r.error,
      attempts: attempt,
      processedAt: finishedAt,
      appointmentId: r.appointmentId,
      nextAttemptAt: r.nextAttemptAt ?? null,
      ...(r.duplicateOfId ? { duplicateOfId: r.duplicateOfId } : {}),
    })
    .where(eq(webhookDeliveries.id, d.id));
  await tx.insert(webhookDeliveryAttempts).values({
    deliveryId: d.id,
    attempt,
    jobId: r.jobId ?? null,
    startedAt: r.startedAt,
    finishedAt,
    status: r.status,
    outcome: r.outcome,
    error: r.error,
  });
}
