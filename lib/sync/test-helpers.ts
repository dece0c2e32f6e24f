import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { alerts } from "@/drizzle/schema/alerts";
import { auditLog, services } from "@/drizzle/schema/core";
import { sandboxEventTypes, sandboxTeams } from "@/drizzle/schema/sandbox";
import { syncServiceStates } from "@/drizzle/schema/sync";
import { createTestCompany } from "@/lib/calcom/client-test-helpers";
import type { SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { FRISEUR } from "@/lib/demo/catalog";

/** Integration-test helpers for the sync: a Friseur company over a fixture, and switches on its sandbox event types. */

export const operator = { kind: "system", label: "sync-it", role: "operator" } as const;

/** A company on the fixture's team with the 18 Friseur services mapped to the fixture's event type ids. */
export async function createFriseurCompany(db: Db, fx: SandboxFixture, opts: { mapped?: boolean } = {}) {
  const company = await createTestCompany(db, { fx });
  const rows = await db
    .insert(services)
    .values(
      FRISEUR.services.map((s) => ({
        companyId: company.companyId,
        name: s.name,
        calcomEventTypeId: opts.mapped === false ? null : fx.et(s.eventTypeId),
        durationMinutes: s.minutes,
      })),
    )
    .returning();
  return { ...company, services: rows };
}

export const serviceByName = (rows: { id: number; name: string }[], name: string) => {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no service ${name}`);
  return row;
};

export async function hideEventTypes(db: Db, ids: number[]) {
  await db.update(sandboxEventTypes).set({ hidden: true }).where(inArray(sandboxEventTypes.id, ids));
}

export async function deleteEventTypes(db: Db, ids: number[]) {
  await db.delete(sandboxEventTypes).where(inArray(sandboxEventTypes.id, ids));
}

/** Move event types to a new team the key's user is not a member of. */
export async function moveEventTypes(db: Db, ids: number[]): Promise<number> {
  const teamId = 69_000_000 + Math.floor(Math.random() * 900_000);
  await db
    .insert(sandboxTeams)
    .values({ id: teamId, slug: `elsewhere-${randomBytes(4).toString("hex")}`, name: "Elsewhere" });
  await db.update(sandboxEventTypes).set({ teamId }).where(inArray(sandboxEventTypes.id, ids));
  return teamId;
}

export async function activeFlags(db: Db, companyId: number): Promise<boolean[]> {
  return (await db.select({ a: services.isActive }).from(services).where(eq(services.companyId, companyId))).map(
    (r) => r.a,
  );
}

export async function stateOf(db: Db, serviceId: number) {
  const [row] = await db.select().from(syncServiceStates).where(eq(syncServiceStates.serviceId, serviceId));
  return row;
}

export async function openAlert(db: Db, companyId: number, kind: string) {
  const rows = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.companyId, companyId), eq(alerts.kind, kind)));
  return rows.find((r) => r.status !== "resolved");
}

/** The company's audit actions in order, without the sync starts (sync.run / sync.check) unless asked. */
export async function auditActions(
  db: Db,
  companyId: number,
  opts: { withSyncStarts?: boolean } = {},
): Promise<string[]> {
  const rows = await db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.companyId, companyId))
    .orderBy(auditLog.id);
  return rows.map((r) => r.action).filter((a) => opts.withSyncStarts || !a.startsWith("sync."));
}
