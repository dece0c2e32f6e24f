import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/drizzle/schema/core";
import { sandboxEventTypes } from "@/drizzle/schema/sandbox";
import { syncEventTypes, syncRuns } from "@/drizzle/schema/sync";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { createTestCompany, startRecordingProxy } from "@/lib/calcom/client-test-helpers";
import type { Db } from "@/lib/db/types";
import { FRISEUR } from "@/lib/demo/catalog";
import { AppError } from "@/lib/errors";
import { getTestDb } from "@/test/db";
import { sweepStaleRuns } from "./runs";
import { runSync } from "./sync";
import { updateSyncSettings } from "./settings";
import {
  activeFlags,
  auditActions,
  createFriseurCompany,
  deleteEventTypes,
  hideEventTypes,
  moveEventTypes,
  openAlert,
  operator,
  serviceByName,
  stateOf,
} from "./test-helpers";

let db: Db;
const fixtures: SandboxFixture[] = [];
const live = (companyId: number) => runSync(db, { companyId, checkOnly: false, trigger: "manual", actor: operator });
const check = (companyId: number) => runSync(db, { companyId, checkOnly: true, trigger: "manual", actor: operator });

/** Each test gets its own sandbox team, so changing its event types touches no other test. */
async function fixture() {
  const fx = await createSandboxFixture(db);
  fixtures.push(fx);
  return fx;
}

beforeAll(async () => {
  db = await getTestDb();
});
afterEach(async () => {
  await resetSandbox(db);
  await Promise.all(fixtures.splice(0).map((fx) => fx.close()));
});

describe("a healthy sync against the sandbox", () => {
  it("check-only shows the seed's numbers and changes nothing; the live run matches all 18 and mirrors 45", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    const dry = await check(companyId);
    expect(dry).toMatchObject({
      status: "succeeded",
      isCheckOnly: true,
      counts: { found: 45, matched: 18, new: 27, missing: 0, orphaned: 0, deactivated: 0, errors: 0 },
    });
    expect(dry.diff.filter((d) => d.kind === "matched")).toHaveLength(18);
    expect(dry.diff.find((d) => d.kind === "new" && d.eventTypeId === fx.et(3757775))).toMatchObject({
      eventTypeTitle: "Typberatung",
      note: "available for import",
    });
    expect(await db.select().from(syncEventTypes).where(eq(syncEventTypes.companyId, companyId))).toHaveLength(0);

    const run = await live(companyId);
    expect(run).toMatchObject({ status: "succeeded", counts: { found: 45, matched: 18, new: 27 }, phase: "done" });
    expect(run.finishedAt).not.toBeNull();
    const mirror = await db.select().from(syncEventTypes).where(eq(syncEventTypes.companyId, companyId));
    expect(mirror).toHaveLength(45);
    expect(mirror.find((m) => m.eventTypeId === fx.et(3757770))).toMatchObject({
      title: "Herrenhaarschnitt",
      lengthInMinutes: 30,
      isHidden: false,
      isPresent: true,
      lastSeenRunId: run.id,
    });
    expect(await activeFlags(db, companyId)).toEqual(Array(18).fill(true));
    // Both runs were started by a person: audited with the run id.
    expect(await auditActions(db, companyId, { withSyncStarts: true })).toEqual(["sync.check", "sync.run"]);
  });
});

describe("the per-item diff", () => {
  it("shows the mirror's changes too: changed settings of a used event type, and an unused one that left the team", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    await live(companyId);
    await db
      .update(sandboxEventTypes)
      .set({ lengthInMinutes: 45, minimumBookingNotice: 120 })
      .where(eq(sandboxEventTypes.id, fx.et(3757770)));
    await deleteEventTypes(db, [fx.et(3757775)]);
    for (const run of [await check(companyId), await live(companyId)]) {
      expect(run.diff.find((d) => d.kind === "changed")).toMatchObject({
        eventTypeId: fx.et(3757770),
        serviceName: "Herrenhaarschnitt",
        note: expect.stringContaining("length 30 → 45"),
      });
      expect(run.diff.find((d) => d.kind === "removed")).toMatchObject({
        eventTypeId: fx.et(3757775),
        eventTypeTitle: "Typberatung",
      });
    }
    const [mirrored] = await db
      .select()
      .from(syncEventTypes)
      .where(eq(syncEventTypes.eventTypeId, fx.et(3757770)));
    expect(mirrored).toMatchObject({ lengthInMinutes: 45, minimumBookingNotice: 120 });
    // Nothing changed since: the next run reports no changes.
    expect((await live(companyId)).diff.filter((d) => d.kind === "changed" || d.kind === "removed")).toEqual([]);
  });
});

describe("the incident: an empty event-type list never deactivates anything", () => {
  it("asks only the team endpoint, never the user endpoint /v2/event-types", async () => {
    const fx = await fixture();
    const proxy = await startRecordingProxy(fx.url);
    try {
      const { companyId } = await createTestCompany(db, { fx, url: proxy.url });
      await live(companyId);
      const paths = proxy.requests.map((r) => r.path);
      expect(paths).toContain(`/v2/teams/${fx.teamId}/event-types`);
      expect(paths.filter((p) => p === "/v2/event-types")).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("0 event types with 18 mapped services aborts every run, even with auto-deactivation on: nothing changes, an alert is raised", async () => {
    const fx = await fixture();
    const { companyId, services: rows } = await createFriseurCompany(db, fx);
    await updateSyncSettings(db, { companyId, isAutoDeactivate: true, orphanSharePercent: 100, actor: operator });
    await setSandboxFaults(db, { emptyEventTypes: true }); // what the user endpoint answered for a team's key
    for (let i = 0; i < 4; i++) {
      const run = await live(companyId);
      expect(run.status).toBe("aborted");
      expect(run.reason).toMatch(/returned 0 event types .* 18 services are mapped/);
      expect(run.counts.deactivated).toBe(0);
    }
    expect(await activeFlags(db, companyId)).toEqual(Array(18).fill(true));
    expect(await stateOf(db, rows[0]!.id)).toBeUndefined(); // no miss was counted
    expect(await openAlert(db, companyId, "sync_aborted")).toMatchObject({ severity: "critical", occurrences: 4 });
    expect(await auditActions(db, companyId)).not.toContain("service.auto_deactivate");

    // Cal.com answers again: the next run succeeds and clears the alert.
    await setSandboxFaults(db, { emptyEventTypes: false });
    expect((await live(companyId)).status).toBe("succeeded");
    expect(await openAlert(db, companyId, "sync_aborted")).toBeUndefined();
  });

  it("a check-only run that gets nothing is aborted too, without an alert", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    await setSandboxFaults(db, { emptyEventTypes: true });
    expect(await check(companyId)).toMatchObject({ status: "aborted", isCheckOnly: true });
    expect(await openAlert(db, companyId, "sync_aborted")).toBeUndefined();
  });
});

describe("the 3-run rule", () => {
  it("a deleted event type is missed twice, then orphaned and sent to review with provenance; nothing is deactivated", async () => {
    const fx = await fixture();
    const { companyId, services: rows } = await createFriseurCompany(db, fx);
    const bart = serviceByName(rows, "Bartpflege");
    await live(companyId);
    await deleteEventTypes(db, [fx.et(3757760)]);
    const r1 = await live(companyId);
    const r2 = await live(companyId);
    expect(r1.diff.find((d) => d.serviceId === bart.id)).toMatchObject({
      kind: "missing",
      misses: 1,
      reason: "deleted",
    });
    expect(await stateOf(db, bart.id)).toMatchObject({ status: "missing", missCount: 2 });
    expect(r2.counts).toMatchObject({ missing: 1, orphaned: 0, matched: 17 });

    const preview = await check(companyId);
    expect(preview.diff.find((d) => d.serviceId === bart.id)).toMatchObject({ kind: "orphaned", misses: 3 });
    expect(await stateOf(db, bart.id)).toMatchObject({ missCount: 2 }); // check-only kept the counter

    const r3 = await live(companyId);
    expect(r3.counts).toMatchObject({ orphaned: 1, deactivated: 0 });
    expect(await stateOf(db, bart.id)).toMatchObject({
      status: "pending_review",
      reviewCause: "three_misses",
      missCount: 3,
      missedRunIds: [r1.id, r2.id, r3.id],
      reason: "deleted",
      eventTypeId: fx.et(3757760),
    });
    expect((await stateOf(db, bart.id))!.eventTypeLastSeenAt).not.toBeNull();
    expect(await activeFlags(db, companyId)).toEqual(Array(18).fill(true));
  });

  it("with auto-deactivation opted in, the third miss deactivates (audited); hidden and moved are told apart", async () => {
    const fx = await fixture();
    const { companyId, services: rows } = await createFriseurCompany(db, fx);
    await updateSyncSettings(db, { companyId, isAutoDeactivate: true, actor: operator });
    const nass = serviceByName(rows, "Nassrasur");
    const kur = serviceByName(rows, "Haarkur");
    await hideEventTypes(db, [fx.et(3757761)]);
    const newTeam = await moveEventTypes(db, [fx.et(3757771)]);
    const r1 = await live(companyId);
    expect(r1.diff.find((d) => d.serviceId === nass.id)).toMatchObject({ kind: "missing", reason: "hidden" });
    expect(r1.diff.find((d) => d.serviceId === kur.id)).toMatchObject({ kind: "missing", reason: "moved" });
    await live(companyId);
    expect(
      (await check(companyId)).diff
        .filter((d) => d.kind === "would_deactivate")
        .map((d) => d.serviceId)
        .sort(),
    ).toEqual([nass.id, kur.id].sort());
    const r3 = await live(companyId);
    expect(r3.counts).toMatchObject({ orphaned: 2, deactivated: 2 });
    const [nassRow] = await db.select().from(services).where(eq(services.id, nass.id));
    expect(nassRow!.isActive).toBe(false);
    expect(await stateOf(db, kur.id)).toMatchObject({
      status: "deactivated",
      deactivatedBy: "sync (auto-deactivate)",
      reason: "moved",
    });
    expect(await auditActions(db, companyId)).toEqual(expect.arrayContaining(["service.auto_deactivate"]));
    expect(newTeam).toBeGreaterThan(0);
  });

  it("an event type that comes back resets the counter", async () => {
    const fx = await fixture();
    const { companyId, services: rows } = await createFriseurCompany(db, fx);
    const kopf = serviceByName(rows, "Kopfmassage");
    await hideEventTypes(db, [fx.et(3757773)]);
    await live(companyId);
    await live(companyId);
    await db
      .update(sandboxEventTypes)
      .set({ hidden: false })
      .where(eq(sandboxEventTypes.id, fx.et(3757773)));
    const back = await live(companyId);
    expect(back.diff.find((d) => d.serviceId === kopf.id)).toMatchObject({ kind: "recovered" });
    expect(await stateOf(db, kopf.id)).toMatchObject({ status: "ok", missCount: 0 });
  });
});

describe("the share guard", () => {
  it("5 of 18 missing (28% > 20%) deactivates nothing, sends them to review and raises an alert, run after run", async () => {
    const fx = await fixture();
    const { companyId, services: rows } = await createFriseurCompany(db, fx);
    await updateSyncSettings(db, { companyId, isAutoDeactivate: true, actor: operator });
    const gone = FRISEUR.services.slice(0, 5).map((s) => fx.et(s.eventTypeId));
    await deleteEventTypes(db, gone);
    const first = await live(companyId);
    expect(first).toMatchObject({ isShareGuardTripped: true, counts: { missing: 5, deactivated: 0 } });
    for (const s of rows.slice(0, 5))
      expect(await stateOf(db, s.id)).toMatchObject({ status: "pending_review", reviewCause: "share_guard" });
    expect(await openAlert(db, companyId, "sync_orphan_share")).toMatchObject({ severity: "critical" });
    await live(companyId);
    const third = await live(companyId);
    expect(third).toMatchObject({ isShareGuardTripped: true, counts: { orphaned: 5, deactivated: 0 } });
    expect(await activeFlags(db, companyId)).toEqual(Array(18).fill(true));
  });

  it("3 of 18 (17%) stays under the default limit; a lower limit trips it", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    await hideEventTypes(
      db,
      FRISEUR.services.slice(0, 3).map((s) => fx.et(s.eventTypeId)),
    );
    expect(await check(companyId)).toMatchObject({ isShareGuardTripped: false, counts: { missing: 3 } });
    await updateSyncSettings(db, { companyId, orphanSharePercent: 10, actor: operator });
    expect(await live(companyId)).toMatchObject({ isShareGuardTripped: true });
    expect(await openAlert(db, companyId, "sync_orphan_share")).toBeDefined();
    await updateSyncSettings(db, { companyId, orphanSharePercent: 20, actor: operator });
    await live(companyId);
    expect(await openAlert(db, companyId, "sync_orphan_share")).toBeUndefined();
  });
});

describe("name matching", () => {
  it("links unmapped services by name regardless of case, spacing, umlauts and ß (live only)", async () => {
    const fx = await fixture();
    const company = await createTestCompany(db, { fx });
    const names = [
      "HERRENHAARSCHNITT",
      "  damenhaarschnitt ",
      "Foehnen und Styling",
      "Waschen,Schneiden,  Föhnen",
      "GLAETTUNG",
      "Strähnchen",
      "Massage",
    ];
    const rows = await db
      .insert(services)
      .values(names.map((name) => ({ companyId: company.companyId, name, durationMinutes: 30 })))
      .returning();
    const dry = await check(company.companyId);
    expect(dry.diff.filter((d) => d.kind === "linked_by_name")).toHaveLength(6);
    expect(dry.diff.find((d) => d.serviceName === "Massage")).toMatchObject({ kind: "unmatched" });
    expect((await db.select().from(services).where(eq(services.id, rows[0]!.id)))[0]!.calcomEventTypeId).toBeNull();

    await live(company.companyId);
    const after = await db.select().from(services).where(eq(services.companyId, company.companyId));
    const linked = Object.fromEntries(after.map((s) => [s.name, s.calcomEventTypeId]));
    expect(linked).toMatchObject({
      HERRENHAARSCHNITT: fx.et(3757770),
      "  damenhaarschnitt ": fx.et(3757757),
      "Foehnen und Styling": fx.et(3757759),
      "Waschen,Schneiden,  Föhnen": fx.et(3757758),
      GLAETTUNG: fx.et(3757767),
      Strähnchen: fx.et(3757764),
      Massage: null,
    });
    expect(await auditActions(db, company.companyId)).toContain("service.link_by_name");
  });

  it("a unique ß name is matched from its ss spelling", async () => {
    const fx = await fixture();
    const company = await createTestCompany(db, { fx });
    await db
      .update(sandboxEventTypes)
      .set({ title: "Fußpflege" })
      .where(eq(sandboxEventTypes.id, fx.et(3757775)));
    await db.insert(services).values({ companyId: company.companyId, name: "FUSSPFLEGE", durationMinutes: 30 });
    const run = await check(company.companyId);
    expect(run.diff.find((d) => d.serviceName === "FUSSPFLEGE")).toMatchObject({
      kind: "linked_by_name",
      eventTypeId: fx.et(3757775),
      eventTypeTitle: "Fußpflege",
    });
  });
});

describe("one run per company", () => {
  it("a second run while one is going gets CONFLICT with the running run's id; progress is visible meanwhile", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    await setSandboxFaults(db, { families: { "event-types": { latencyMs: 1500 } } });
    const first = live(companyId);
    await new Promise((r) => setTimeout(r, 300));
    const [running] = await db.select().from(syncRuns).where(eq(syncRuns.companyId, companyId));
    expect(running).toMatchObject({ status: "running", phase: "fetching team event types" });
    const second = await check(companyId).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(AppError);
    expect(second).toMatchObject({ code: "CONFLICT", status: 409, details: { runId: running!.id } });
    expect((await first).status).toBe("succeeded");
    expect(await db.select().from(syncRuns).where(eq(syncRuns.companyId, companyId))).toHaveLength(1);
  });

  it("a run abandoned by a dead instance is swept after 10 minutes without progress", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    const [stale] = await db
      .insert(syncRuns)
      .values({
        companyId,
        trigger: "schedule",
        actorLabel: "sync-schedule",
        heartbeatAt: new Date(Date.now() - 11 * 60_000),
      })
      .returning();
    expect((await live(companyId)).status).toBe("succeeded");
    const [swept] = await db.select().from(syncRuns).where(eq(syncRuns.id, stale!.id));
    expect(swept).toMatchObject({ status: "failed", reason: expect.stringMatching(/abandoned/) });
  });

  it("the scheduler's sweep closes an abandoned run without waiting for the company's next sync; a live one stays", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    const [stale] = await db
      .insert(syncRuns)
      .values({ companyId, trigger: "manual", actorLabel: "x", heartbeatAt: new Date(Date.now() - 11 * 60_000) })
      .returning();
    expect(await sweepStaleRuns(db)).toContain(stale!.id);
    const [fresh] = await db.insert(syncRuns).values({ companyId, trigger: "manual", actorLabel: "x" }).returning();
    expect(await sweepStaleRuns(db)).not.toContain(fresh!.id);
    expect((await db.select().from(syncRuns).where(eq(syncRuns.id, stale!.id)))[0]).toMatchObject({
      status: "failed",
      phase: "failed",
    });
    await db.update(syncRuns).set({ status: "failed" }).where(eq(syncRuns.id, fresh!.id));
  });
});

describe("a sync while Cal.com fails", () => {
  it("503s abort the run with the CAL code: nothing changes, an alert is raised, the errors count", async () => {
    const fx = await fixture();
    const { companyId, services: rows } = await createFriseurCompany(db, fx);
    await live(companyId);
    await setSandboxFaults(db, { families: { "event-types": { forceStatus: 503 } } });
    const run = await live(companyId);
    expect(run).toMatchObject({ status: "aborted", counts: { errors: 1, deactivated: 0 } });
    expect(run.reason).toMatch(/CAL-012 503/);
    expect(await openAlert(db, companyId, "sync_aborted")).toBeDefined();
    expect(await stateOf(db, rows[0]!.id)).toMatchObject({ status: "ok", missCount: 0 });
    expect(
      (await db.select().from(syncEventTypes).where(eq(syncEventTypes.companyId, companyId))).every((m) => m.isPresent),
    ).toBe(true);
  });

  it("a 401 (revoked key) aborts the same way", async () => {
    const fx = await fixture();
    const { companyId } = await createFriseurCompany(db, fx);
    await setSandboxFaults(db, { families: { "event-types": { forceStatus: 401 } } });
    expect((await live(companyId)).reason).toMatch(/CAL-001/);
    expect(await activeFlags(db, companyId)).toEqual(Array(18).fill(true));
  });
});
