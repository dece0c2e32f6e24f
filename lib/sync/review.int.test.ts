import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { alerts } from "@/drizzle/schema/alerts";
import { auditLog, services } from "@/drizzle/schema/core";
import { raiseAlert } from "@/lib/alerts/alerts";
import { syncRuns, syncServiceStates } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { getTestDb } from "@/test/db";
import type { Actor } from "@/lib/auth/roles";
import { createUser } from "@/lib/users/users";
import { importEventTypes, listMirror } from "./import";
import { dueCompanies } from "./jobs";
import {
  bulkReactivate,
  deactivateService,
  listReview,
  reactivateCompanyServices,
  reactivateService,
  relinkService,
  snoozeService,
} from "./review";
import { updateSyncSettings } from "./settings";
import { getSyncStatus } from "./status";
import { runSync } from "./sync";
import { auditActions, createFriseurCompany, deleteEventTypes, operator, serviceByName, stateOf } from "./test-helpers";

let db: Db;
let fx: SandboxFixture;
let person: Actor;
const live = (companyId: number) => runSync(db, { companyId, checkOnly: false, trigger: "manual", actor: operator });

beforeAll(async () => {
  db = await getTestDb();
  const email = `op-${Date.now()}@example.test`;
  const user = await createUser(db, {
    input: { email, role: "operator", password: "a-long-test-password-1" },
    actor: operator,
  });
  person = { kind: "user", userId: user.id, email, role: "operator" };
  fx = await createSandboxFixture(db);
  return () => fx.close();
});
afterEach(async () => {
  await resetSandbox(db);
});

async function orphanedCompany() {
  const company = await createFriseurCompany(db, fx);
  await live(company.companyId);
  return company;
}

describe("the review queue and a person's decisions", () => {
  it("lists a service pending review with provenance and a same-name relink candidate; relink resolves it (audited)", async () => {
    const local = await createSandboxFixture(db);
    try {
      const { companyId, services: rows } = await createFriseurCompany(db, local);
      const herren = serviceByName(rows, "Herrenhaarschnitt");
      // The event type was recreated under a new id: same title, old id gone.
      await db.update(services).set({ calcomEventTypeId: 999_000_001 }).where(eq(services.id, herren.id));
      for (let i = 0; i < 3; i++) await live(companyId);
      const items = await listReview(db, { companyId });
      const item = items.find((i) => i.service.id === herren.id);
      expect(item).toMatchObject({ state: { status: "pending_review", reason: "deleted", missCount: 3 } });
      expect(item!.state!.reasonDetails).toMatchObject({ nameCandidate: { id: local.et(3757770) } });
      expect(item!.candidates).toEqual([{ eventTypeId: local.et(3757770), title: "Herrenhaarschnitt" }]);
      // A candidate is only a suggestion: the service still points at the old id until a person relinks it.
      expect(item!.service.calcomEventTypeId).toBe(999_000_001);

      await relinkService(db, {
        serviceId: herren.id,
        eventTypeId: local.et(3757770),
        reason: "recreated",
        actor: person,
      });
      const [after] = await db.select().from(services).where(eq(services.id, herren.id));
      expect(after!.calcomEventTypeId).toBe(local.et(3757770));
      expect(await stateOf(db, herren.id)).toMatchObject({ status: "ok", missCount: 0 });
      expect((await listReview(db, { companyId })).map((i) => i.service.id)).not.toContain(herren.id);
      const [entry] = await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, "service.relink"))
        .orderBy(auditLog.id);
      expect(entry).toMatchObject({
        actorLabel: person.kind === "user" ? person.email : "",
        reason: "recreated",
        details: { fromEventTypeId: 999_000_001, toEventTypeId: local.et(3757770) },
      });

      await expect(relinkService(db, { serviceId: herren.id, eventTypeId: 123, actor: person })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    } finally {
      await local.close();
    }
  });

  it("deactivate, reactivate and snooze change the service and its state, each audited", async () => {
    const { companyId, services: rows } = await orphanedCompany();
    const s = rows[0]!;
    await deactivateService(db, { serviceId: s.id, reason: "retired", actor: person });
    expect(await stateOf(db, s.id)).toMatchObject({
      status: "deactivated",
      deactivatedBy: person.kind === "user" ? person.email : "",
    });
    expect((await listReview(db, { companyId })).map((i) => i.service.id)).toEqual([s.id]);
    const back = await reactivateService(db, { serviceId: s.id, actor: person });
    expect(back.isActive).toBe(true);
    expect(await stateOf(db, s.id)).toMatchObject({ status: "ok" });
    const state = await snoozeService(db, { serviceId: s.id, hours: 48, actor: person });
    expect(state.status).toBe("snoozed");
    expect(state.snoozedUntil!.getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
    expect(await auditActions(db, companyId)).toEqual(["service.deactivate", "service.reactivate", "service.snooze"]);
    await expect(reactivateService(db, { serviceId: 987_654_321, actor: person })).rejects.toBeInstanceOf(AppError);
  });

  it("a snoozed service keeps counting misses but neither goes to review nor gets deactivated", async () => {
    const local = await createSandboxFixture(db);
    try {
      const { companyId, services: rows } = await createFriseurCompany(db, local);
      await updateSyncSettings(db, { companyId, isAutoDeactivate: true, actor: operator });
      const bart = serviceByName(rows, "Bartpflege");
      await snoozeService(db, { serviceId: bart.id, hours: 24, actor: person });
      await deleteEventTypes(db, [local.et(3757760)]);
      for (let i = 0; i < 3; i++) await live(companyId);
      expect(await stateOf(db, bart.id)).toMatchObject({ status: "snoozed", missCount: 3 });
      expect((await db.select().from(services).where(eq(services.id, bart.id)))[0]!.isActive).toBe(true);
    } finally {
      await local.close();
    }
  });

  it("bulk reactivate and the emergency 'reactivate every service' (typed confirmation)", async () => {
    const { companyId, name, services: rows } = await orphanedCompany();
    await db.update(services).set({ isActive: false }).where(eq(services.companyId, companyId)); // the incident
    const bulk = await bulkReactivate(db, { serviceIds: [rows[0]!.id, rows[1]!.id], actor: person });
    expect(bulk.reactivated).toBe(2);
    await expect(reactivateCompanyServices(db, { companyId, confirm: "wrong", actor: person })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const all = await reactivateCompanyServices(db, { companyId, confirm: name, reason: "incident", actor: person });
    expect(all.reactivated).toBe(16);
    expect((await db.select().from(services).where(eq(services.companyId, companyId))).every((s) => s.isActive)).toBe(
      true,
    );
    expect(await auditActions(db, companyId)).toEqual(["service.bulk_reactivate", "service.reactivate_all"]);
  });

  it("counts the services that leave the review queue, not only those that were inactive", async () => {
    const { companyId, name, services: rows } = await orphanedCompany();
    await db.update(services).set({ isActive: false }).where(eq(services.id, rows[0]!.id));
    await db
      .update(syncServiceStates)
      .set({ status: "pending_review", reviewCause: "share_guard", reviewSince: new Date() })
      .where(
        inArray(
          syncServiceStates.serviceId,
          rows.slice(0, 5).map((r) => r.id),
        ),
      );
    const { alert } = await raiseAlert(db, {
      companyId,
      kind: "sync_orphan_share",
      severity: "critical",
      title: "Sync found too many services without event type",
      message: "5 of 18",
    });
    const all = await reactivateCompanyServices(db, {
      companyId,
      confirm: name,
      reason: "share guard false alarm",
      actor: person,
    });
    expect(all).toMatchObject({ reactivated: 1, cleared: 5 });
    // The queue the alert pointed at is empty: the alert resolves with it.
    const [after] = await db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect(after).toMatchObject({
      status: "resolved",
      resolvedReason: "every service in the review queue was decided",
    });
  });
});

describe("import of new event types", () => {
  it("is explicit: creates services from the mirror, refuses unknown or already linked ids", async () => {
    const { companyId } = await orphanedCompany();
    const mirror = await listMirror(db, companyId);
    expect(mirror.find((m) => m.eventTypeId === fx.et(3757770))!.serviceIds).toHaveLength(1);
    const { services: created } = await importEventTypes(db, {
      companyId,
      eventTypeIds: [fx.et(3757775)],
      actor: person,
    });
    expect(created).toMatchObject([
      { name: "Typberatung", calcomEventTypeId: fx.et(3757775), durationMinutes: 30, isActive: true },
    ]);
    await expect(
      importEventTypes(db, { companyId, eventTypeIds: [fx.et(3757775)], actor: person }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(importEventTypes(db, { companyId, eventTypeIds: [42], actor: person })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await auditActions(db, companyId)).toContain("service.import");
    expect((await live(companyId)).counts).toMatchObject({ matched: 19, new: 26 });
  });
});

describe("sync status and the schedule", () => {
  it("reports the seed's shape per company: last sync, event types, errors since the last success", async () => {
    const { companyId } = await createFriseurCompany(db, fx);
    expect((await getSyncStatus(db, { companyId })).companies[0]).toMatchObject({
      last_sync: null,
      is_stale: true,
      event_types_count: 0,
    });
    const ok = await live(companyId);
    await setSandboxFaults(db, { families: { "event-types": { forceStatus: 500 } } });
    const failed = await live(companyId);
    const status = await getSyncStatus(db, { companyId });
    expect(status).toMatchObject({
      last_sync: ok.finishedAt!.toISOString(),
      event_types_count: 45,
      pending_webhooks: 0,
    });
    expect(status.sync_errors).toEqual([
      expect.objectContaining({ company_id: companyId, run_id: failed.id, status: "aborted" }),
    ]);
    expect(status.companies[0]).toMatchObject({
      interval_minutes: 30,
      is_stale: false,
      running_run_id: null,
      last_run: { id: failed.id, status: "aborted" },
    });

    // pending_webhooks counts the company's received but unprocessed deliveries.
    const delivery = {
      receivedAt: new Date(),
      companyId,
      headers: {},
      bodyBytes: 2,
      verdict: "verified" as const,
      verdictDetail: "test",
      verification: {},
      responseStatus: 200,
    };
    await db.insert(webhookDeliveries).values([
      { ...delivery, status: "pending" },
      { ...delivery, status: "pending" },
      { ...delivery, status: "processed" },
    ]);
    expect(await getSyncStatus(db, { companyId })).toMatchObject({
      pending_webhooks: 2,
      companies: [{ pending_webhooks: 2 }],
    });
  });

  it("a company is due when its last live run started longer ago than its interval", async () => {
    const { companyId } = await createFriseurCompany(db, fx);
    expect(await dueCompanies(db)).toContain(companyId);
    await live(companyId);
    expect(await dueCompanies(db)).not.toContain(companyId);
    expect(await dueCompanies(db, new Date(Date.now() + 31 * 60_000))).toContain(companyId);
    await updateSyncSettings(db, { companyId, isScheduleEnabled: false, actor: operator });
    expect(await dueCompanies(db, new Date(Date.now() + 31 * 60_000))).not.toContain(companyId);
    await db.update(syncRuns).set({ isCheckOnly: true }).where(eq(syncRuns.companyId, companyId));
  });
});
