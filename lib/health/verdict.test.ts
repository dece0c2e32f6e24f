import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "@/lib/alerts/settings";
import { CLOSED_CIRCUIT } from "./figures";
import { assessWindow, healthVerdict, overallStatus, type HealthFigures } from "./verdict";

const calm: HealthFigures = {
  isConfigured: true,
  api: { calls: 100, ok: 100, avgMs: 200 },
  circuit: CLOSED_CIRCUIT,
  manualQueue: { waiting: 0, oldestAgeMinutes: null },
  sync: {
    isScheduled: true,
    isAttempted: true,
    ageMinutes: 10,
    intervalMinutes: 30,
    lastRunStatus: "succeeded",
    companyAgeMinutes: 10_000,
  },
  timeZone: "Europe/Berlin",
  webhooks: { isSilent: false, lastVerifiedAt: null, silenceThresholdMinutes: 1440 },
};
const t = DEFAULT_THRESHOLDS;
const rules = (f: Partial<HealthFigures>) => {
  const v = healthVerdict(t, { ...calm, ...f });
  return [v.status, v.reasons.map((r) => `${r.rule}:${r.severity}`)];
};

describe("healthVerdict", () => {
  it.each([
    ["nothing breached", {}, ["healthy", []]],
    [
      "no Cal.com target",
      { isConfigured: false, circuit: { ...calm.circuit, state: "open" as const } },
      ["not_configured", []],
    ],
    ["90 % success", { api: { calls: 100, ok: 90, avgMs: 200 } }, ["degraded", ["api_success_rate:warning"]]],
    [
      "70 % success is critical (20 points under)",
      { api: { calls: 100, ok: 70, avgMs: 200 } },
      ["down", ["api_success_rate:critical"]],
    ],
    ["too few calls to judge", { api: { calls: 19, ok: 0, avgMs: 5000 } }, ["healthy", []]],
    ["slow", { api: { calls: 100, ok: 100, avgMs: 1001 } }, ["degraded", ["api_latency:warning"]]],
    ["circuit open", { circuit: { ...calm.circuit, state: "open" as const } }, ["down", ["circuit_open:critical"]]],
    [
      "circuit half-open",
      { circuit: { ...calm.circuit, state: "half_open" as const } },
      ["degraded", ["circuit_half_open:warning"]],
    ],
    ["6 trips in an hour", { circuit: { ...calm.circuit, tripsLastHour: 6 } }, ["down", ["circuit_trips:critical"]]],
    ["queue 31 min", { manualQueue: { waiting: 1, oldestAgeMinutes: 31 } }, ["degraded", ["manual_queue_age:warning"]]],
    [
      "queue over 4x the limit",
      { manualQueue: { waiting: 2, oldestAgeMinutes: 121 } },
      ["down", ["manual_queue_age:critical"]],
    ],
    ["sync never succeeded", { sync: { ...calm.sync, ageMinutes: null } }, ["degraded", ["sync_stale:warning"]]],
    ["sync schedule off", { sync: { ...calm.sync, isScheduled: false, ageMinutes: 999 } }, ["healthy", []]],
    ["webhook silence", { webhooks: { ...calm.webhooks, isSilent: true } }, ["degraded", ["webhook_silence:warning"]]],
  ] as const)("%s", (_name, figures, expected) => {
    expect(rules(figures)).toEqual(expected);
  });

  it("uses the company's thresholds", () => {
    expect(
      healthVerdict({ ...t, successRateMinPct: 80 }, { ...calm, api: { calls: 100, ok: 85, avgMs: 100 } }).status,
    ).toBe("healthy");
  });
});

describe("overallStatus and assessWindow", () => {
  it("is down only when every configured company is down", () => {
    expect(overallStatus(["down", "not_configured"])).toBe("down");
    expect(overallStatus(["down", "healthy"])).toBe("degraded");
    expect(overallStatus(["not_configured"])).toBe("healthy");
  });

  it("marks a window's figures against the thresholds", () => {
    expect(assessWindow(t, { successRate: 0.949, avgMs: 1000, maxCircuitTripsPerHour: 6 })).toEqual({
      isSuccessRateLow: true,
      isLatencyHigh: false,
      isTrippingOften: true,
    });
  });
});
