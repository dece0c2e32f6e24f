import { describe, expect, it } from "vitest";
import { zonedDateKey } from "@/lib/time/zoned";
import { planHistory, type Step } from "./plan";

const now = new Date("2026-03-12T15:20:00Z");
const kinds = (steps: Step[]) => steps.map((s) => s.kind);

describe("planHistory", () => {
  it("is deterministic for a seed and differs for another", () => {
    expect(planHistory({ now, seed: 1 })).toEqual(planHistory({ now, seed: 1 }));
    expect(planHistory({ now, seed: 2 })).not.toEqual(planHistory({ now, seed: 1 }));
  });

  it("is sorted and lies in the 8 days before now, ending at least two minutes before it", () => {
    const steps = planHistory({ now });
    const times = steps.map((s) => s.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(now.getTime() - 2 * 60_000);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now.getTime() - 8 * 86_400_000);
  });

  it("has phone calls and a sync on each of the last 7 days, for both companies", () => {
    const steps = planHistory({ now });
    for (let d = 1; d <= 7; d++) {
      const day = zonedDateKey(new Date(now.getTime() - d * 86_400_000), "Europe/Berlin");
      for (const tenant of ["friseur", "praxis-am-markt"]) {
        const ofDay = steps.filter((s) => s.tenant === tenant && zonedDateKey(s.at, "Europe/Berlin") === day);
        expect(kinds(ofDay), `${tenant} ${day}`).toContain("call");
        expect(kinds(ofDay), `${tenant} ${day}`).toContain("sync");
      }
    }
  });

  it("tells each incident once and in order: outage, walk-in, recovery; empty list, syncs, recovery; rotation in three phases", () => {
    const steps = planHistory({ now });
    const at = (kind: Step["kind"]) => steps.filter((s) => s.kind === kind).map((s) => s.at.getTime());
    expect(at("outage-start")).toHaveLength(1);
    expect(at("outage-start")[0]!).toBeLessThan(at("outage-end")[0]!);
    expect(at("outage-end")[0]!).toBeLessThan(at("walk-in")[0]!);
    expect(at("walk-in")[0]!).toBeLessThan(at("recover")[0]!);
    const during = steps.filter(
      (s) => s.kind === "call" && s.at.getTime() > at("outage-start")[0]! && s.at.getTime() < at("outage-end")[0]!,
    );
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(at("sync-incident-start")[0]!).toBeLessThan(at("sync-incident-end")[0]!);
    expect(
      steps.filter((s) => s.kind === "rotate-secret").map((s) => (s as Extract<Step, { kind: "rotate-secret" }>).phase),
    ).toEqual(["add", "switch-calcom", "retire-old"]);
    expect(at("reconcile")).toHaveLength(1);
    expect(steps.filter((s) => s.kind === "rejected-delivery").length).toBeGreaterThanOrEqual(3);
  });

  it("gives every call its own idempotency key", () => {
    const keys = planHistory({ now }).flatMap((s) => (s.kind === "call" ? [s.idempotencyKey] : []));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
