import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE } from "./seed-catalog";
import { checkBookable, computeSlots, type EngineEventType } from "./slots-engine";

const base: EngineEventType = {
  lengthInMinutes: 60,
  slotInterval: null,
  beforeEventBuffer: 0,
  afterEventBuffer: 0,
  minimumBookingNotice: 0,
  bookingWindowDays: null,
  schedule: DEFAULT_SCHEDULE,
  hostUserIds: [1, 2],
  schedulingType: "roundRobin",
};
const now = new Date("2050-01-01T00:00:00Z");
const day = (d: string) => ({ from: new Date(`${d}T00:00:00Z`), to: new Date(`${d}T23:59:59Z`) });

describe("computeSlots", () => {
  it("follows Berlin wall-clock hours across the spring DST switch", () => {
    const fri = computeSlots({ eventType: base, lengthMinutes: 60, ...day("2050-03-25"), now, bookings: [] });
    const mon = computeSlots({ eventType: base, lengthMinutes: 60, ...day("2050-03-28"), now, bookings: [] });
    expect(fri[0]?.toISOString()).toBe("2050-03-25T08:00:00.000Z");
    expect(mon[0]?.toISOString()).toBe("2050-03-28T07:00:00.000Z");
    expect(fri).toHaveLength(9);
  });

  it("needs every host busy to drop a round-robin slot, one busy host for a collective one", () => {
    const busy = (hostIds: number[]) => ({
      uid: "x",
      start: new Date("2050-09-05T08:00:00Z"),
      end: new Date("2050-09-05T09:00:00Z"),
      hostIds,
      beforeBuffer: 0,
      afterBuffer: 0,
    });
    const starts = (et: EngineEventType, hostIds: number[]) =>
      computeSlots({ eventType: et, lengthMinutes: 60, ...day("2050-09-05"), now, bookings: [busy(hostIds)] }).map(
        (d) => d.toISOString(),
      );
    expect(starts(base, [1])).toContain("2050-09-05T08:00:00.000Z");
    expect(starts(base, [1, 2])).not.toContain("2050-09-05T08:00:00.000Z");
    expect(starts({ ...base, schedulingType: "collective" }, [1])).not.toContain("2050-09-05T08:00:00.000Z");
  });
});

describe("checkBookable", () => {
  it("checks past, then notice, then hours", () => {
    const et = { ...base, minimumBookingNotice: 120 };
    const at = (iso: string) =>
      checkBookable({
        eventType: et,
        start: new Date(iso),
        lengthMinutes: 60,
        now: new Date("2050-09-05T07:00:00Z"),
        bookings: [],
      });
    expect(at("2050-09-05T06:00:00Z")).toEqual({ ok: false, reason: "past" });
    expect(at("2050-09-05T08:00:00Z")).toEqual({ ok: false, reason: "out-of-bounds" });
    expect(at("2050-09-05T17:00:00Z")).toEqual({ ok: false, reason: "unavailable" }); // 19:00 Berlin
    expect(at("2050-09-05T10:00:00Z")).toEqual({ ok: true, hostIds: [1] });
  });
});
