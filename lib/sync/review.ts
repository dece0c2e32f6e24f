import "server-only";
import * as clock from "@/lib/time/clock";
import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { companies, services, type Service } from "@/drizzle/schema/core";
import { syncEventTypes, syncServiceStates, type SyncServiceState } from "@/drizzle/schema/sync";
import type { Actor } from "@/lib/auth/roles";
import { resolveAlert } from "@/lib/alerts/alerts";
import { writeAudit } from "@/lib/audit/audit";
import type { Db, DbOrTx, Tx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { serviceNameKey } from "@/lib/services/name-match";
import { companyIdSchema } from "@/lib/http/params";

/** The Services review queue: what the sync handed to a person, and the person's decisions (all audited). */

export type ReviewItem = {
  service: Pick<Service, "id" | "companyId" | "name" | "calcomEventTypeId" | "durationMinutes" | "isActive">;
  companyName: string;
  state: SyncServiceState | null;
  /** Present event types of the company whose name matches the service's (relink suggestions). */
  candidates: { eventTypeId: number; title: string }[];
};

export const reviewQuerySchema = z.object({ companyId: companyIdSchema.optional() });

/** Services pending review, snoozed or missing (counting), and every inactive service (to reactivate). */
export async function listReview(db: DbOrTx, query: z.infer<typeof reviewQuerySchema>): Promise<ReviewItem[]> {
  const rows = await db
    .select({ service: services, companyName: companies.name, state: syncServiceStates })
    .from(services)
    .innerJoin(companies, eq(companies.id, services.companyId))
    .leftJoin(syncServiceStates, eq(syncServiceStates.serviceId, services.id))
    .where(
      and(
        query.companyId ? eq(services.companyId, query.companyId) : undefined,
        or(eq(services.isActive, false), inArray(syncServiceStates.status, ["pending_review", "snoozed", "missing"])),
      ),
    )
    .orderBy(asc(services.companyId), asc(services.name));
  const companyIds = [...new Set(rows.map((r) => r.service.companyId))];
  const present = companyIds.length
    ? await db
        .select({
          companyId: syncEventTypes.companyId,
          eventTypeId: syncEventTypes.eventTypeId,
          title: syncEventTypes.title,
        })
        .from(syncEventTypes)
        .where(
          and(
            inArray(syncEventTypes.companyId, companyIds),
            eq(syncEventTypes.isPresent, true),
            eq(syncEventTypes.isHidden, false),
          ),
        )
    : [];
  return rows.map(({ service: s, companyName, state }) => ({
    service: {
      id: s.id,
      companyId: s.companyId,
      name: s.name,
      calcomEventTypeId: s.calcomEventTypeId,
      durationMinutes: s.durationMinutes,
      isActive: s.isActive,
    },
    companyName,
    state,
    candidates: present
      .filter(
        (e) =>
          e.companyId === s.companyId &&
          e.eventTypeId !== s.calcomEventTypeId &&
          serviceNameKey(e.title) === serviceNameKey(s.name),
      )
      .map(({ eventTypeId, title }) => ({ eventTypeId, title })),
  }));
}

async function lockService(tx: Tx, serviceId: number): Promise<Service> {
  const [row] = await tx.select().from(services).where(eq(services.id, serviceId)).for("update");
  if (!row) throw new AppError("NOT_FOUND", `Service #${serviceId} not found`);
  return row;
}

type StatePatch = Partial<Omit<typeof syncServiceStates.$inferInsert, "serviceId" | "companyId">>;

async function setState(tx: Tx, service: Service, patch: StatePatch): Promise<void> {
  await tx
    .insert(syncServiceStates)
    .values({ serviceId: service.id, companyId: service.companyId, ...patch })
    .onConflictDoUpdate({ target: syncServiceStates.serviceId, set: { ...patch, updatedAt: clock.now() } });
  await resolveShareGuardWhenDecided(tx, service.companyId);
}

/** The share-guard alert asks a person to decide the review queue: once nothing is pending, it has been answered. */
async function resolveShareGuardWhenDecided(tx: Tx, companyId: number): Promise<void> {
  const [pending] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(syncServiceStates)
    .where(and(eq(syncServiceStates.companyId, companyId), eq(syncServiceStates.status, "pending_review")));
  if ((pending?.n ?? 0) === 0)
    await resolveAlert(tx, {
      companyId,
      kind: "sync_orphan_share",
      reason: "every service in the review queue was decided",
    });
}

const CLEARED: StatePatch = {
  status: "ok",
  missCount: 0,
  missedRunIds: [],
  reason: null,
  reasonDetails: null,
  reviewCause: null,
  reviewSince: null,
  snoozedUntil: null,
  deactivatedBy: null,
};

export const reasonSchema = z.object({ reason: z.string().trim().max(500).optional() });

type ServiceInput = { serviceId: number; reason?: string; actor: Actor };

/** Reactivate and deactivate differ only in the flag, the review state it leaves and the audit action. */
async function setServiceActive(
  db: Db,
  input: ServiceInput,
  isActive: boolean,
  state: StatePatch,
  action: string,
): Promise<Service> {
  return db.transaction(async (tx) => {
    const before = await lockService(tx, input.serviceId);
    const [after] = await tx
      .update(services)
      .set({ isActive, updatedAt: clock.now() })
      .where(eq(services.id, before.id))
      .returning();
    await setState(tx, before, state);
    await writeAudit(tx, {
      actor: input.actor,
      action,
      targetType: "service",
      targetId: before.id,
      companyId: before.companyId,
      reason: input.reason,
      details: { name: before.name, wasActive: before.isActive },
    });
    return after!;
  });
}

/** Active again, misses forgotten: if the event type is still gone, the next three runs bring it back to review. */
export function reactivateService(db: Db, input: ServiceInput): Promise<Service> {
  return setServiceActive(db, input, true, CLEARED, "service.reactivate");
}

export function deactivateService(db: Db, input: ServiceInput): Promise<Service> {
  const deactivatedBy = input.actor.kind === "user" ? input.actor.email : input.actor.label;
  return setServiceActive(
    db,
    input,
    false,
    { status: "deactivated", deactivatedBy, snoozedUntil: null },
    "service.deactivate",
  );
}

export const relinkSchema = z.object({
  eventTypeId: z.number().int().positive(),
  reason: z.string().trim().max(500).optional(),
});

/** Point the service at another event type the last sync saw in the company's team. */
export async function relinkService(
  db: Db,
  input: { serviceId: number; eventTypeId: number; reason?: string; actor: Actor },
): Promise<Service> {
  return db.transaction(async (tx) => {
    const before = await lockService(tx, input.serviceId);
    const [et] = await tx
      .select()
      .from(syncEventTypes)
      .where(
        and(
          eq(syncEventTypes.companyId, before.companyId),
          eq(syncEventTypes.eventTypeId, input.eventTypeId),
          eq(syncEventTypes.isPresent, true),
        ),
      );
    if (!et)
      throw new AppError(
        "BAD_REQUEST",
        `Event type ${input.eventTypeId} was not in this company's team list at the last sync; run a sync first`,
      );
    const [after] = await tx
      .update(services)
      .set({ calcomEventTypeId: et.eventTypeId, updatedAt: clock.now() })
      .where(eq(services.id, before.id))
      .returning();
    await setState(tx, before, { ...CLEARED, eventTypeId: et.eventTypeId, eventTypeLastSeenAt: et.lastSeenAt });
    await writeAudit(tx, {
      actor: input.actor,
      action: "service.relink",
      targetType: "service",
      targetId: before.id,
      companyId: before.companyId,
      reason: input.reason,
      details: {
        name: before.name,
        fromEventTypeId: before.calcomEventTypeId,
        toEventTypeId: et.eventTypeId,
        toTitle: et.title,
      },
    });
    return after!;
  });
}

export const snoozeSchema = z.object({
  hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24),
  reason: z.string().trim().max(500).optional(),
});

/** Out of the queue until then: misses are still counted, but nothing is sent to review or deactivated. */
export async function snoozeService(
  db: Db,
  input: { serviceId: number; hours: number; reason?: string; actor: Actor },
): Promise<SyncServiceState> {
  return db.transaction(async (tx) => {
    const before = await lockService(tx, input.serviceId);
    const until = new Date(clock.nowMs() + input.hours * 3_600_000);
    await setState(tx, before, { status: "snoozed", snoozedUntil: until, reviewCause: null, reviewSince: null });
    await writeAudit(tx, {
      actor: input.actor,
      action: "service.snooze",
      targetType: "service",
      targetId: before.id,
      companyId: before.companyId,
      reason: input.reason,
      details: { name: before.name, until: until.toISOString() },
    });
    const [state] = await tx.select().from(syncServiceStates).where(eq(syncServiceStates.serviceId, before.id));
    return state!;
  });
}

export const bulkReactivateSchema = z.object({
  serviceIds: z.array(z.number().int().positive()).min(1).max(500),
  reason: z.string().trim().max(500).optional(),
});

export const reactivateCompanySchema = z.object({
  companyId: z.number().int().positive(),
  /** The company's name, typed by the person: the emergency action needs an explicit confirmation. */
  confirm: z.string().trim().min(1),
  reason: z.string().trim().max(500).optional(),
});

async function reactivateMany(
  tx: Tx,
  rows: Service[],
  actor: Actor,
  action: string,
  reason: string | undefined,
  companyId: number,
) {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { changed: [], cleared: 0 };
  // Services that leave the review queue (or lose their misses) without having been inactive count too.
  const flagged = await tx
    .select({ id: syncServiceStates.serviceId })
    .from(syncServiceStates)
    .where(and(inArray(syncServiceStates.serviceId, ids), ne(syncServiceStates.status, "ok")));
  const changed = await tx
    .update(services)
    .set({ isActive: true, updatedAt: clock.now() })
    .where(and(inArray(services.id, ids), eq(services.isActive, false)))
    .returning({ id: services.id, name: services.name });
  for (const s of rows) await setState(tx, s, CLEARED);
  await writeAudit(tx, {
    actor,
    action,
    targetType: action === "service.reactivate_all" ? "company" : "services",
    targetId: action === "service.reactivate_all" ? companyId : ids.join(","),
    companyId,
    reason,
    details: { serviceIds: ids, reactivated: changed.map((c) => c.id), cleared: flagged.map((f) => f.id) },
  });
  return { changed, cleared: new Set([...flagged.map((f) => f.id), ...changed.map((c) => c.id)]).size };
}

/** Reactivate the chosen services (one audit entry per company touched). */
export async function bulkReactivate(db: Db, input: z.infer<typeof bulkReactivateSchema> & { actor: Actor }) {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(services).where(inArray(services.id, input.serviceIds)).for("update");
    if (rows.length !== new Set(input.serviceIds).size)
      throw new AppError("NOT_FOUND", "Some of the services were not found");
    const byCompany = new Map<number, Service[]>();
    for (const r of rows) byCompany.set(r.companyId, [...(byCompany.get(r.companyId) ?? []), r]);
    const changed = [];
    let cleared = 0;
    for (const [companyId, group] of byCompany) {
      const result = await reactivateMany(tx, group, input.actor, "service.bulk_reactivate", input.reason, companyId);
      changed.push(...result.changed);
      cleared += result.cleared;
    }
    return { reactivated: changed.length, cleared, serviceIds: changed.map((c) => c.id) };
  });
}

/** The maintenance guide's emergency step: every service of the company active again, with typed confirmation. */
export async function reactivateCompanyServices(
  db: Db,
  input: z.infer<typeof reactivateCompanySchema> & { actor: Actor },
) {
  return db.transaction(async (tx) => {
    const [company] = await tx.select().from(companies).where(eq(companies.id, input.companyId));
    if (!company) throw new AppError("NOT_FOUND", `Company #${input.companyId} not found`);
    if (input.confirm !== company.name)
      throw new AppError("BAD_REQUEST", `Type the company name "${company.name}" to confirm`);
    const rows = await tx.select().from(services).where(eq(services.companyId, company.id)).for("update");
    const { changed, cleared } = await reactivateMany(
      tx,
      rows,
      input.actor,
      "service.reactivate_all",
      input.reason,
      company.id,
    );
    return { reactivated: changed.length, cleared, serviceIds: changed.map((c) => c.id) };
  });
}
