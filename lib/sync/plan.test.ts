import { describe, expect, it } from "vitest";
import type { Service } from "@/drizzle/schema/core";
import type { SyncServiceState } from "@/drizzle/schema/sync";
import type { CalcomEventType } from "@/lib/calcom/schemas";
import { matchServices, mirrorChanges, planSync, type MirrorFields } from "./plan";

const svc = (id: number, name: string, eventTypeId: number | null, isActive = true) =>
  ({
    id,
    companyId: 1,
    branchId: null,
    name,
    calcomEventTypeId: eventTypeId,
    durationMinutes: 30,
    price: null,
    isActive,
    createdAt: new Date(),
    updatedAt: new Date(),
  }) satisfies Service;
const et = (id: number, title: string, hidden = false): CalcomEventType => ({
  id,
  title,
  slug: title.toLowerCase(),
  lengthInMinutes: 30,
  hidden,
});

function plan(
  services: Service[],
  eventTypes: CalcomEventType[],
  opts: { states?: SyncServiceState[]; percent?: number; auto?: boolean } = {},
) {
  return planSync({
    runId: 7,
    now: new Date("2026-01-01T00:00:00Z"),
    match: matchServices(services, eventTypes),
    foundCount: eventTypes.length,
    states: new Map((opts.states ?? []).map((s) => [s.serviceId, s])),
    provenance: new Map(),
    settings: { orphanSharePercent: opts.percent ?? 20, isAutoDeactivate: opts.auto ?? false },
    errors: 0,
  });
}

const state = (serviceId: number, missCount: number, eventTypeId: number): SyncServiceState => ({
  serviceId,
  companyId: 1,
  status: "missing",
  missCount,
  missedRunIds: [1, 2].slice(0, missCount),
  reason: "not_in_team_list",
  reasonDetails: null,
  eventTypeId,
  eventTypeLastSeenAt: null,
  reviewCause: null,
  reviewSince: null,
  snoozedUntil: null,
  deactivatedBy: null,
  updatedAt: new Date(),
});

const five = [svc(1, "A", 11), svc(2, "B", 12), svc(3, "C", 13), svc(4, "D", 14), svc(5, "E", 15)];
const allButE = [et(11, "A"), et(12, "B"), et(13, "C"), et(14, "D")];

describe("planSync", () => {
  it("exactly at the share limit (1 of 5 = 20%) is not tripped; above it is", () => {
    expect(plan(five, allButE).isShareGuardTripped).toBe(false);
    expect(plan(five, allButE.slice(0, 3)).isShareGuardTripped).toBe(true);
  });

  it("the third consecutive miss of the same event type orphans; a miss of another id starts again", () => {
    const third = plan(five, allButE, { states: [state(5, 2, 15)], auto: true });
    expect(third.deactivateServiceIds).toEqual([5]);
    expect(third.states.find((s) => s.serviceId === 5)).toMatchObject({
      missCount: 3,
      missedRunIds: [1, 2, 7],
      status: "deactivated",
    });
    const relinked = plan(five, allButE, { states: [state(5, 2, 99)], auto: true });
    expect(relinked.deactivateServiceIds).toEqual([]);
    expect(relinked.states.find((s) => s.serviceId === 5)).toMatchObject({ missCount: 1, status: "missing" });
  });

  it("without the opt-in an orphan goes to review, never to deactivation", () => {
    const p = plan(five, allButE, { states: [state(5, 2, 15)] });
    expect(p.deactivateServiceIds).toEqual([]);
    expect(p.states.find((s) => s.serviceId === 5)).toMatchObject({
      status: "pending_review",
      reviewCause: "three_misses",
    });
    expect(p.diff.find((d) => d.serviceId === 5)).toMatchObject({ kind: "orphaned", misses: 3 });
  });

  it("inactive services count no misses and hidden mapped event types count as missing", () => {
    const p = plan([svc(1, "A", 11), svc(2, "B", 12, false)], [et(11, "A", true)]);
    expect(p.diff.find((d) => d.serviceId === 1)).toMatchObject({ kind: "missing", reason: "hidden" });
    expect(p.states.map((s) => s.serviceId)).toEqual([1]);
    expect(p.counts).toMatchObject({ missing: 1, new: 0 });
  });

  it("a name match never takes an event type another service holds by id", () => {
    const m = matchServices([svc(1, "A", 11), svc(2, "a", null)], [et(11, "A")]);
    expect(m.services.map((s) => s.kind)).toEqual(["matched", "unmatched"]);
  });
});

describe("the diff shows the mirror's changes too", () => {
  const mirrorRow = (e: CalcomEventType, over: Partial<MirrorFields> = {}): MirrorFields => ({
    eventTypeId: e.id,
    title: e.title,
    lengthInMinutes: e.lengthInMinutes,
    beforeEventBuffer: null,
    afterEventBuffer: null,
    minimumBookingNotice: null,
    isHidden: e.hidden ?? false,
    bookingFields: [],
    isPresent: true,
    ...over,
  });

  it("reports settings that changed in Cal.com, and unused event types that left the team list", () => {
    const services = [svc(1, "A", 11), svc(2, "B", 12)];
    const now = [{ ...et(11, "A"), lengthInMinutes: 45 }, et(12, "B"), et(13, "New one")];
    const mirror = new Map([
      [11, mirrorRow(et(11, "A"))],
      [12, mirrorRow(et(12, "B"))],
      [13, mirrorRow(et(13, "New one"), { isPresent: false })],
      [14, mirrorRow(et(14, "Gone, unused"))],
    ]);
    const p = planSync({
      runId: 7,
      now: new Date(),
      match: matchServices(services, now),
      foundCount: now.length,
      states: new Map(),
      provenance: new Map(),
      settings: { orphanSharePercent: 20, isAutoDeactivate: false },
      errors: 0,
      mirror,
    });
    expect(p.diff.find((d) => d.kind === "changed" && d.eventTypeId === 11)).toMatchObject({
      serviceId: 1,
      note: "length 30 → 45",
    });
    expect(p.diff.find((d) => d.kind === "changed" && d.eventTypeId === 13)).toMatchObject({
      note: "back in the team list",
    });
    expect(p.diff.find((d) => d.kind === "removed")).toMatchObject({ eventTypeId: 14, eventTypeTitle: "Gone, unused" });
    expect(p.diff.filter((d) => d.kind === "changed" || d.kind === "removed")).toHaveLength(3);
  });

  it("a mapped event type that left the list is its service's miss, not a second 'removed' line", () => {
    const p = planSync({
      runId: 7,
      now: new Date(),
      match: matchServices([svc(1, "A", 11)], [et(12, "B")]),
      foundCount: 1,
      states: new Map(),
      provenance: new Map(),
      settings: { orphanSharePercent: 100, isAutoDeactivate: false },
      errors: 0,
      mirror: new Map([
        [11, mirrorRow(et(11, "A"))],
        [12, mirrorRow(et(12, "B"))],
      ]),
    });
    expect(p.diff.map((d) => d.kind).sort()).toEqual(["missing", "new"]);
    expect(mirrorChanges(mirrorRow(et(12, "B")), { ...et(12, "B"), hidden: true })).toEqual(["hidden no → yes"]);
  });
});

describe("mirrorChanges", () => {
  it("ignores the key order of booking fields (the mirror is jsonb) but sees a real change", () => {
    const before = {
      eventTypeId: 1,
      title: "A",
      lengthInMinutes: 30,
      beforeEventBuffer: null,
      afterEventBuffer: null,
      minimumBookingNotice: null,
      isHidden: false,
      isPresent: true,
      bookingFields: [{ type: "phone", slug: "phone", required: true }],
    };
    expect(
      mirrorChanges(before, {
        ...et(1, "A"),
        bookingFields: [{ required: true, slug: "phone", type: "phone" }],
      } as CalcomEventType),
    ).toEqual([]);
    expect(
      mirrorChanges(before, {
        ...et(1, "A"),
        bookingFields: [{ required: false, slug: "phone", type: "phone" }],
      } as CalcomEventType),
    ).toEqual(["booking fields changed"]);
  });
});

describe("auto-deactivation needs proof", () => {
  it("an event type Cal.com shows alive in the team (a partial list) is never auto-deactivated, only sent to review", () => {
    const p = planSync({
      runId: 7,
      now: new Date(),
      match: matchServices(five, allButE),
      foundCount: 4,
      states: new Map([[5, state(5, 2, 15)]]),
      provenance: new Map([[15, { reason: "not_in_team_list", details: { existsInTeam: true } }]]),
      settings: { orphanSharePercent: 20, isAutoDeactivate: true },
      errors: 0,
    });
    expect(p.deactivateServiceIds).toEqual([]);
    expect(p.states.find((s) => s.serviceId === 5)).toMatchObject({ status: "pending_review", missCount: 3 });
    expect(p.diff.find((d) => d.serviceId === 5)).toMatchObject({
      kind: "orphaned",
      note: expect.stringContaining("still exists"),
    });
  });
});
