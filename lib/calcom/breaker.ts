import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { circuitBreakers, circuitEvents, type CircuitBreakerRow, type CircuitState } from "@/drizzle/schema/calcom";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, DbOrTx, Tx } from "@/lib/db/types";
import { AppError, parseOrBadRequest } from "@/lib/errors";
import { CalcomError, type CalCode } from "./errors";

/**
 * Circuit breaker per company, with its state in PostgreSQL so every instance agrees: closed until N consecutive
 * failures, then open for openSeconds, then half-open admitting halfOpenMaxCalls trial calls across all instances;
 * a trial success closes it, a trial failure re-opens it. Every transition is stored with its reason.
 */
export type Permit = { companyId: number; isTrial: boolean; state: CircuitState };
export type Outcome =
  | { kind: "success" }
  /** The API answered but refused our input (4xx): proof it is up, never a failure. */
  | { kind: "neutral" }
  | { kind: "failure"; calCode: CalCode; status: number | null; message: string };

/** A trial that never reported back (its process died) must not block the half-open state forever. */
const TRIAL_TIMEOUT_MS = 30_000;

async function lockRow(tx: Tx, companyId: number): Promise<CircuitBreakerRow> {
  await tx.insert(circuitBreakers).values({ companyId }).onConflictDoNothing();
  const [row] = await tx.select().from(circuitBreakers).where(eq(circuitBreakers.companyId, companyId)).for("update");
  if (!row) throw new Error(`circuit row for company ${companyId} vanished`);
  return row;
}

async function transition(
  tx: Tx,
  row: CircuitBreakerRow,
  to: CircuitState,
  reason: string,
  patch: Partial<typeof circuitBreakers.$inferInsert>,
  actor?: Actor,
): Promise<void> {
  await tx
    .update(circuitBreakers)
    .set({ ...patch, state: to, updatedAt: clock.now() })
    .where(eq(circuitBreakers.companyId, row.companyId));
  await tx.insert(circuitEvents).values({
    companyId: row.companyId,
    fromState: row.state,
    toState: to,
    reason,
    actorLabel: actor ? actorLabel(actor) : null,
  });
}

function openPatch(row: CircuitBreakerRow, now: Date, until?: Date) {
  return {
    openedAt: now,
    openUntil: until ?? new Date(now.getTime() + row.openSeconds * 1000),
    halfOpenInFlight: 0,
    halfOpenStartedAt: null,
  };
}

function circuitOpenError(row: CircuitBreakerRow, message: string): CalcomError {
  return new CalcomError({
    calCode: "CAL-013",
    status: null,
    message,
    family: "me",
    method: "-",
    path: "-",
    isBreakerFailure: false,
    details: { openUntil: row.openUntil, forcedOpenUntil: row.forcedOpenUntil },
  });
}

/** Ask to make one call. Throws CalcomError CAL-013 while the circuit is open or the trial slots are taken. */
export async function acquirePermit(db: Db, companyId: number, now = clock.now()): Promise<Permit> {
  return db.transaction(async (tx) => {
    const row = await lockRow(tx, companyId);
    if (row.forcedOpenUntil && row.forcedOpenUntil > now) {
      throw circuitOpenError(row, `Circuit held open for maintenance until ${row.forcedOpenUntil.toISOString()}`);
    }
    if (row.state === "closed") return { companyId, isTrial: false, state: "closed" };
    if (row.state === "open") {
      if (row.openUntil && row.openUntil > now)
        throw circuitOpenError(row, `Circuit open until ${row.openUntil.toISOString()}`);
      await transition(tx, row, "half_open", "open period elapsed; admitting trial calls", {
        halfOpenInFlight: 1,
        halfOpenStartedAt: now,
        forcedOpenUntil: null,
      });
      return { companyId, isTrial: true, state: "half_open" };
    }
    // half_open
    if (row.halfOpenInFlight >= row.halfOpenMaxCalls) {
      const isStale = row.halfOpenStartedAt && now.getTime() - row.halfOpenStartedAt.getTime() > TRIAL_TIMEOUT_MS;
      if (isStale) {
        await transition(tx, row, "open", "trial calls did not report back within 30 s", openPatch(row, now));
      }
      throw circuitOpenError(row, "Circuit half-open: trial calls are in progress");
    }
    await tx
      .update(circuitBreakers)
      .set({ halfOpenInFlight: row.halfOpenInFlight + 1, updatedAt: now })
      .where(eq(circuitBreakers.companyId, companyId));
    return { companyId, isTrial: true, state: "half_open" };
  });
}

/** Report how the permitted call ended. */
export async function recordOutcome(db: Db, permit: Permit, outcome: Outcome, now = clock.now()): Promise<void> {
  // The common case (closed, success, no failures pending) needs no write at all.
  if (!permit.isTrial && outcome.kind !== "failure") {
    const [row] = await db
      .select({ n: circuitBreakers.consecutiveFailures })
      .from(circuitBreakers)
      .where(eq(circuitBreakers.companyId, permit.companyId));
    if (!row || row.n === 0 || outcome.kind === "neutral") return;
  }
  await db.transaction(async (tx) => {
    const row = await lockRow(tx, permit.companyId);
    if (outcome.kind !== "failure") {
      if (row.state === "half_open" && permit.isTrial) {
        await transition(
          tx,
          row,
          "closed",
          outcome.kind === "success" ? "trial call succeeded" : "trial call answered (4xx); Cal.com is reachable",
          {
            consecutiveFailures: 0,
            halfOpenInFlight: 0,
            halfOpenStartedAt: null,
            openUntil: null,
            lastSuccessAt: now,
          },
        );
      } else if (outcome.kind === "success" && row.state === "closed") {
        await tx
          .update(circuitBreakers)
          .set({ consecutiveFailures: 0, lastSuccessAt: now, updatedAt: now })
          .where(eq(circuitBreakers.companyId, row.companyId));
      }
      return;
    }
    const failure = {
      lastFailureCode: outcome.calCode,
      lastFailureStatus: outcome.status,
      lastFailureMessage: outcome.message.slice(0, 500),
      lastFailureAt: now,
    };
    const failures = row.consecutiveFailures + 1;
    if (row.state === "half_open" && permit.isTrial) {
      await transition(
        tx,
        row,
        "open",
        `trial call failed: ${outcome.calCode} ${outcome.status ?? ""} ${outcome.message}`.slice(0, 300),
        { ...openPatch(row, now), ...failure, consecutiveFailures: failures },
      );
    } else if (row.state === "closed" && failures >= row.failureThreshold) {
      await transition(
        tx,
        row,
        "open",
        `${failures} consecutive failures; last ${outcome.calCode} ${outcome.status ?? ""} ${outcome.message}`.slice(
          0,
          300,
        ),
        { ...openPatch(row, now), ...failure, consecutiveFailures: failures },
      );
    } else {
      await tx
        .update(circuitBreakers)
        .set({ ...failure, consecutiveFailures: failures, updatedAt: now })
        .where(eq(circuitBreakers.companyId, row.companyId));
    }
  });
}

const resetCircuitSchema = z.object({
  companyId: z.number().int().positive(),
  reason: z.string().trim().min(3, "Give a reason (at least 3 characters)").max(500),
});
const forceOpenCircuitSchema = resetCircuitSchema.extend({ until: z.iso.datetime({ offset: true }) });
const circuitThresholdsSchema = z.object({
  companyId: z.number().int().positive(),
  failureThreshold: z.number().int().min(1).max(100),
  openSeconds: z.number().int().min(5).max(3600),
  halfOpenMaxCalls: z.number().int().min(1).max(20),
});
export type ResetCircuitInput = z.input<typeof resetCircuitSchema> & { actor: Actor };
export type ForceOpenCircuitInput = z.input<typeof forceOpenCircuitSchema> & { actor: Actor };
export type CircuitThresholdsInput = z.input<typeof circuitThresholdsSchema> & { actor: Actor };

type CircuitMove = {
  to: CircuitState;
  why: string;
  patch: Partial<typeof circuitBreakers.$inferInsert>;
  details: Record<string, unknown>;
};

/** An operator moving the circuit: the company must exist, and the move and its audit entry share one transaction. */
async function moveByOperator(
  db: Db,
  input: { companyId: number; reason: string; actor: Actor },
  action: string,
  move: (row: CircuitBreakerRow) => CircuitMove,
): Promise<void> {
  await db.transaction(async (tx) => {
    await getCompanyOrThrow(tx, input.companyId);
    const row = await lockRow(tx, input.companyId);
    const { to, why, patch, details } = move(row);
    await transition(tx, row, to, `${why}: ${input.reason}`, patch, input.actor);
    await writeAudit(tx, {
      actor: input.actor,
      action,
      targetType: "circuit",
      targetId: input.companyId,
      companyId: input.companyId,
      reason: input.reason,
      details,
    });
  });
}

export async function resetCircuit(db: Db, opts: ResetCircuitInput): Promise<void> {
  const input = parseOrBadRequest(resetCircuitSchema, opts);
  await moveByOperator(db, { ...input, actor: opts.actor }, "circuit.reset", (row) => ({
    to: "closed",
    why: "reset by operator",
    patch: {
      consecutiveFailures: 0,
      openUntil: null,
      forcedOpenUntil: null,
      halfOpenInFlight: 0,
      halfOpenStartedAt: null,
    },
    details: { from: row.state },
  }));
}

export async function forceOpenCircuit(db: Db, opts: ForceOpenCircuitInput): Promise<void> {
  const input = parseOrBadRequest(forceOpenCircuitSchema, opts);
  const until = new Date(input.until);
  if (until <= clock.now())
    throw new AppError("BAD_REQUEST", "The end of the maintenance window must be in the future");
  await moveByOperator(db, { ...input, actor: opts.actor }, "circuit.force-open", (row) => ({
    to: "open",
    why: `forced open until ${until.toISOString()}`,
    patch: { ...openPatch(row, clock.now(), until), forcedOpenUntil: until },
    details: { until: until.toISOString() },
  }));
}

export async function updateCircuitThresholds(db: Db, opts: CircuitThresholdsInput): Promise<void> {
  const input = parseOrBadRequest(circuitThresholdsSchema, opts);
  await db.transaction(async (tx) => {
    await getCompanyOrThrow(tx, input.companyId);
    const row = await lockRow(tx, input.companyId);
    const { companyId, ...thresholds } = input;
    await tx
      .update(circuitBreakers)
      .set({ ...thresholds, updatedAt: clock.now() })
      .where(eq(circuitBreakers.companyId, companyId));
    await writeAudit(tx, {
      actor: opts.actor,
      action: "circuit.thresholds",
      targetType: "circuit",
      targetId: companyId,
      companyId,
      details: {
        before: {
          failureThreshold: row.failureThreshold,
          openSeconds: row.openSeconds,
          halfOpenMaxCalls: row.halfOpenMaxCalls,
        },
        after: thresholds,
      },
    });
  });
}

export type CircuitStatus = CircuitBreakerRow & { events: (typeof circuitEvents.$inferSelect)[] };

export async function getCircuitStatuses(
  db: DbOrTx,
  companyIds: number[],
  eventLimit = 20,
): Promise<Map<number, CircuitStatus>> {
  const result = new Map<number, CircuitStatus>();
  if (companyIds.length === 0) return result;
  const rows = await db.select().from(circuitBreakers).where(inArray(circuitBreakers.companyId, companyIds));
  for (const id of companyIds) {
    const row = rows.find((r) => r.companyId === id) ?? defaultRow(id);
    const events = await db
      .select()
      .from(circuitEvents)
      .where(and(eq(circuitEvents.companyId, id)))
      .orderBy(desc(circuitEvents.id))
      .limit(eventLimit);
    result.set(id, { ...row, events });
  }
  return result;
}

function defaultRow(companyId: number): CircuitBreakerRow {
  return {
    companyId,
    state: "closed",
    consecutiveFailures: 0,
    openedAt: null,
    openUntil: null,
    forcedOpenUntil: null,
    halfOpenInFlight: 0,
    halfOpenStartedAt: null,
    failureThreshold: 5,
    openSeconds: 60,
    halfOpenMaxCalls: 2,
    lastFailureCode: null,
    lastFailureStatus: null,
    lastFailureMessage: null,
    lastFailureAt: null,
    lastSuccessAt: null,
    updatedAt: new Date(0),
  };
}
