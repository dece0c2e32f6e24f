import "server-only";
import * as clock from "@/lib/time/clock";
import { and, eq, inArray, isNull, notInArray } from "drizzle-orm";
import { z } from "zod";
import { companies, services } from "@/drizzle/schema/core";
import { syncEventTypes, syncServiceStates, type SyncRun, type SyncTrigger } from "@/drizzle/schema/sync";
import type { Actor } from "@/lib/auth/roles";
import { writeAudit } from "@/lib/audit/audit";
import { raiseAlert, resolveAlert } from "@/lib/alerts/alerts";
import { createCalcomHttp, type CalcomHttp } from "@/lib/calcom/client";
import { getEventType, listTeamEventTypes } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { CalcomEventType } from "@/lib/calcom/schemas";
import type { Db, Tx } from "@/lib/db/types";
import { excluded } from "@/lib/db/upsert";
import { AppError } from "@/lib/errors";
import { asCheckOnlyDiff, matchServices, planSync, type Provenance, type SyncPlan } from "./plan";
import { finishRun, getRun, reportProgress, startRun, type FinishRunInput } from "./runs";
import { getSyncSettings } from "./settings";

/** At most this many missing event types are looked up one by one per run (deleted or moved?). */
const MAX_PROBES = 20;

export type RunSyncOptions = { companyId: number; checkOnly: boolean; trigger: SyncTrigger; actor: Actor };

export const syncRequestSchema = z.object({
  companyId: z.number().int().positive().optional(),
  checkOnly: z.boolean().default(false),
  /** Wait for the run to finish (CLI, tests); otherwise answer at once with the running run. */
  wait: z.boolean().default(false),
});

/**
 * One sync of a company's team event types, start to finish. Throws AppError CONFLICT (409, details.runId) when
 * another run of the company is going on any instance; otherwise returns the finished run (succeeded, aborted or
 * failed). Used by the route, the schedule and the CLI.
 */
export async function runSync(db: Db, opts: RunSyncOptions): Promise<SyncRun> {
  await getCompanyOrThrow(db, opts.companyId);
  const run = await startRun(db, opts);
  return executeRun(db, run.id, opts);
}

/** Claims the run now (so a conflict is a 409 at once) and leaves the work to `background`. */
export async function startSync(
  db: Db,
  opts: RunSyncOptions,
  background: (work: Promise<unknown>) => void,
): Promise<SyncRun> {
  await getCompanyOrThrow(db, opts.companyId);
  const run = await startRun(db, opts);
  background(executeRun(db, run.id, opts));
  return run;
}

function describeFailure(error: unknown): string {
  if (error instanceof CalcomError)
    return `${error.calCode} ${error.status ?? ""} ${error.message}`.replace(/\s+/g, " ").trim();
  if (error instanceof AppError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A run that changed nothing ends aborted (it refused to act) or failed, with an alert for a live run. A check-only run
 * changes nothing, not even alerts; a live run that refused to act is an incident to look at.
 */
async function endUnchanged(
  db: Db,
  runId: number,
  opts: RunSyncOptions,
  finish: FinishRunInput & { status: "aborted" | "failed" },
  alert: { title: string; message: string },
): Promise<SyncRun> {
  return db.transaction(async (tx) => {
    const run = await finishRun(tx, runId, finish);
    if (!opts.checkOnly)
      await raiseAlert(tx, {
        companyId: opts.companyId,
        kind: "sync_aborted",
        severity: "critical",
        ...alert,
        details: { runId },
      });
    return run;
  });
}

function abortRun(db: Db, runId: number, opts: RunSyncOptions, reason: string, errors: number): Promise<SyncRun> {
  const counts = { found: 0, matched: 0, new: 0, missing: 0, orphaned: 0, deactivated: 0, errors };
  return endUnchanged(
    db,
    runId,
    opts,
    { status: "aborted", reason, counts },
    { title: "Event-type sync aborted", message: `${reason} Nothing was changed.` },
  );
}

async function executeRun(db: Db, runId: number, opts: RunSyncOptions): Promise<SyncRun> {
  try {
    await reportProgress(db, runId, "fetching team event types");
    let http: CalcomHttp;
    let eventTypes: CalcomEventType[];
    try {
      http = await createCalcomHttp(db, opts.companyId);
      eventTypes = (await listTeamEventTypes(http, { bypassCache: true })).data;
    } catch (error) {
      return await abortRun(db, runId, opts, `Fetching the team's event types failed: ${describeFailure(error)}.`, 1);
    }
    const companyServices = await db
      .select()
      .from(services)
      .where(eq(services.companyId, opts.companyId))
      .orderBy(services.id);
    const mapped = companyServices.filter((s) => s.calcomEventTypeId !== null).length;
    if (eventTypes.length === 0 && mapped > 0) {
      return await abortRun(
        db,
        runId,
        opts,
        `Cal.com returned 0 event types for team ${http.target.teamId} while ${mapped} services are mapped to event types; an empty list is never trusted.`,
        0,
      );
    }
    await reportProgress(
      db,
      runId,
      `matching ${companyServices.length} services against ${eventTypes.length} event types`,
      { found: eventTypes.length },
    );
    const match = matchServices(companyServices, eventTypes);
    const { provenance, errors } = await probeMissing(db, runId, http, match);
    const states = new Map(
      (await db.select().from(syncServiceStates).where(eq(syncServiceStates.companyId, opts.companyId))).map((s) => [
        s.serviceId,
        s,
      ]),
    );
    const settings = await getSyncSettings(db, opts.companyId);
    const mirror = new Map(
      (await db.select().from(syncEventTypes).where(eq(syncEventTypes.companyId, opts.companyId))).map((m) => [
        m.eventTypeId,
        m,
      ]),
    );
    const plan = planSync({
      runId,
      now: clock.now(),
      match,
      foundCount: eventTypes.length,
      states,
      provenance,
      settings,
      errors,
      mirror,
    });
    if (opts.checkOnly) {
      return await finishRun(db, runId, {
        status: "succeeded",
        counts: plan.counts,
        diff: asCheckOnlyDiff(plan.diff),
        isShareGuardTripped: plan.isShareGuardTripped,
      });
    }
    await reportProgress(db, runId, "applying changes", plan.counts);
    return await db.transaction((tx) => applyPlan(tx, runId, opts, eventTypes, plan));
  } catch (error) {
    console.error(`[sync] run ${runId} failed`, error);
    const reason = `Unexpected error: ${describeFailure(error)}`;
    try {
      return await endUnchanged(
        db,
        runId,
        opts,
        { status: "failed", reason },
        { title: "Event-type sync failed", message: `${reason}. Nothing was changed.` },
      );
    } catch {
      return getRun(db, runId);
    }
  }
}

/** Why is a mapped event type missing from the team list? Deleted (404), moved (another team, or not ours: 403). */
async function probeMissing(db: Db, runId: number, http: CalcomHttp, match: ReturnType<typeof matchServices>) {
  const ids = [
    ...new Set(
      match.services.flatMap((m) =>
        m.kind === "missing" && m.reason !== "hidden" && m.service.isActive ? [m.eventTypeId] : [],
      ),
    ),
  ];
  const provenance = new Map<number, Provenance>();
  let errors = 0;
  if (ids.length === 0) return { provenance, errors };
  await reportProgress(db, runId, `checking ${Math.min(ids.length, MAX_PROBES)} missing event types`);
  await http.invalidate("event-types");
  const probes = ids.slice(0, MAX_PROBES);
  for (const [i, id] of probes.entries()) {
    // Each lookup may take a while when Cal.com is slow: keep the heartbeat fresh so the run is not swept as abandoned.
    if (i > 0) await reportProgress(db, runId, `checking missing event types (${i + 1} of ${probes.length})`);
    try {
      const et = (await getEventType(http, id)).data;
      if (et.teamId != null && et.teamId !== http.target.teamId)
        provenance.set(id, { reason: "moved", details: { teamId: et.teamId } });
      else if (et.hidden) provenance.set(id, { reason: "hidden" });
      else
        provenance.set(id, {
          reason: "not_in_team_list",
          details: {
            existsInTeam: true,
            note: "the event type exists in the team but the team list did not show it (partial answer?)",
          },
        });
    } catch (error) {
      if (error instanceof CalcomError && error.status === 404) provenance.set(id, { reason: "deleted" });
      else if (error instanceof CalcomError && error.status === 403)
        provenance.set(id, { reason: "moved", details: { note: "exists, but is owned elsewhere" } });
      else {
        errors++;
        provenance.set(id, { reason: "not_in_team_list", details: { lookupError: describeFailure(error) } });
      }
    }
  }
  return { provenance, errors };
}

/** Rows per multi-row statement: well under PostgreSQL's 65,535 parameters at 14 columns a row. */
const CHUNK = 1_000;
function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

async function applyPlan(
  tx: Tx,
  runId: number,
  opts: RunSyncOptions,
  eventTypes: CalcomEventType[],
  plan: SyncPlan,
): Promise<SyncRun> {
  const { companyId } = opts;
  const system: Actor = { kind: "system", label: `sync run #${runId}`, role: "operator" };
  if (eventTypes.length > 0) {
    const rows = eventTypes.map((et) => ({
      companyId,
      eventTypeId: et.id,
      teamId: et.teamId ?? null,
      slug: et.slug,
      title: et.title,
      lengthInMinutes: et.lengthInMinutes,
      beforeEventBuffer: et.beforeEventBuffer ?? null,
      afterEventBuffer: et.afterEventBuffer ?? null,
      minimumBookingNotice: et.minimumBookingNotice ?? null,
      isHidden: et.hidden ?? false,
      bookingFields: (et.bookingFields ?? []) as unknown[],
      isPresent: true,
      lastSeenAt: clock.now(),
      lastSeenRunId: runId,
    }));
    const set = excluded([
      "teamId",
      "slug",
      "title",
      "lengthInMinutes",
      "beforeEventBuffer",
      "afterEventBuffer",
      "minimumBookingNotice",
      "isHidden",
      "bookingFields",
      "isPresent",
      "lastSeenAt",
      "lastSeenRunId",
    ]);
    for (const chunk of chunks(rows)) {
      await tx
        .insert(syncEventTypes)
        .values(chunk)
        .onConflictDoUpdate({ target: [syncEventTypes.companyId, syncEventTypes.eventTypeId], set });
    }
  }
  const seen = eventTypes.map((et) => et.id);
  await tx
    .update(syncEventTypes)
    .set({ isPresent: false })
    .where(
      and(
        eq(syncEventTypes.companyId, companyId),
        seen.length ? notInArray(syncEventTypes.eventTypeId, seen) : undefined,
      ),
    );

  // One statement per chunk of states with the same fields (a state without eventTypeLastSeenAt keeps the stored one).
  const byShape = new Map<string, SyncPlan["states"]>();
  for (const st of plan.states) {
    const shape = Object.keys(st)
      .filter((k) => st[k as keyof typeof st] !== undefined)
      .join(",");
    byShape.set(shape, [...(byShape.get(shape) ?? []), st]);
  }
  for (const [shape, states] of byShape) {
    const set = { ...excluded(shape.split(",").filter((k) => k !== "serviceId")), updatedAt: clock.now() };
    for (const chunk of chunks(states)) {
      await tx
        .insert(syncServiceStates)
        .values(chunk.map((st) => ({ ...st, companyId })))
        .onConflictDoUpdate({ target: syncServiceStates.serviceId, set });
    }
  }
  for (const link of plan.linkByName) {
    const done = await tx
      .update(services)
      .set({ calcomEventTypeId: link.eventTypeId, updatedAt: clock.now() })
      .where(and(eq(services.id, link.serviceId), isNull(services.calcomEventTypeId)))
      .returning({ id: services.id });
    if (done.length)
      await writeAudit(tx, {
        actor: system,
        action: "service.link_by_name",
        targetType: "service",
        targetId: link.serviceId,
        companyId,
        details: { eventTypeId: link.eventTypeId },
      });
  }
  if (plan.deactivateServiceIds.length) {
    const done = await tx
      .update(services)
      .set({ isActive: false, updatedAt: clock.now() })
      .where(and(inArray(services.id, plan.deactivateServiceIds), eq(services.isActive, true)))
      .returning({ id: services.id, name: services.name });
    for (const s of done) {
      await writeAudit(tx, {
        actor: system,
        action: "service.auto_deactivate",
        targetType: "service",
        targetId: s.id,
        companyId,
        reason: "event type missing for 3 consecutive runs; company opted in to auto-deactivation",
        details: { runId },
      });
    }
  }
  const { missing, base, percent } = plan.missingShare;
  if (plan.isShareGuardTripped) {
    await raiseAlert(tx, {
      companyId,
      kind: "sync_orphan_share",
      severity: "critical",
      title: "Sync found too many services without event type",
      message: `${missing} of ${base} active services lost their event type in one run (limit ${percent}%). Nothing was deactivated; they are in the Services review.`,
      details: { runId, missing, base, percent },
    });
  } else {
    await resolveAlert(tx, {
      companyId,
      kind: "sync_orphan_share",
      reason: `sync run #${runId} within the share limit`,
    });
  }
  await resolveAlert(tx, { companyId, kind: "sync_aborted", reason: `sync run #${runId} succeeded` });
  return finishRun(tx, runId, {
    status: "succeeded",
    counts: plan.counts,
    diff: plan.diff,
    isShareGuardTripped: plan.isShareGuardTripped,
  });
}

/** Companies a sync can run for: those with a Cal.com team configured. */
export async function listSyncableCompanies(db: Db): Promise<{ id: number; name: string }[]> {
  const rows = await db.select().from(companies).orderBy(companies.id);
  return rows
    .filter((c) => resolveCalcomTarget(c).teamId !== null && resolveCalcomTarget(c).isConfigured)
    .map(({ id, name }) => ({ id, name }));
}
