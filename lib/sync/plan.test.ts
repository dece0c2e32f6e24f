import { describe, expect, it } from "vitest";
import type { Service } from "@/drizzle/schema/core";
import type { SyncServiceState } from "@/drizzle/schema/sync";
import type { CalcomEventType } from "@/lib/calcom/schemas";
import { matchServices, planSync } from "./plan";

const svc = (id: number, name: string, eventTypeId: number | null, isActive = true) =>
  ({ id, companyId: 1, branchId: null, name, calcomEventTypeId: eventTypeId, durationMinutes: 30, price: null, isActive, createdAt: new Date(), updatedAt: new Date() }) satisfies Service;
const et = (id: number, title: string, hidden = false): CalcomEventType => ({ id, title, slug: title.toLowerCase(), lengthInMinutes: 30, hidden });

function plan(services: Service[], eventTypes: CalcomEventType[], opts: { states?: SyncServiceState[]; percent?: number; auto?: boolean } = {}) {
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
  serviceId, companyId: 1, status: "missing", missCount, missedRunIds: [1, 2].slice(0, missCount), reason: "not_in_team_list", reasonDetails: null,
  eventTypeId, eventTypeLastSeenAt: null, reviewCause: null, reviewSince: null, snoozedUntil: null, deactivatedBy: null, updatedAt: new Date(),
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
    expect(third.states.find((s) => s.serviceId === 5)).toMatchObject({ missCount: 3, missedRunIds: [1, 2, 7], status: "deactivated" });
    const relinked = plan(five, allButE, { states: [state(5, 2, 99)], auto: true });
    expect(relinked.deactivateServiceIds).toEqual([]);
    expect(relinked.states.find((s) => s.serviceId === 5)).toMatchObject({ missCount: 1, status: "missing" });
  });

  it("without the opt-in an orphan goes to review, never to deactivation", () => {
    const p = plan(five, allButE, { states: [state(5, 2, 15)] });
    expect(p.deactivateServiceIds).toEqual([]);
    expect(p.states.find((s) => s.serviceId === 5)).toMatchObject({ status: "pending_review", reviewCause: "three_misses" });
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
