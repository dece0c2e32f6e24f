import { describe, expect, it } from "vitest";
import {
  isValidTimeZone,
  toZonedIso,
  zonedDateKey,
  zonedParts,
  zonedToUtc,
  zonedWeekday,
  zoneOffsetMinutes,
} from "./zoned";

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";

function local(month: number, day: number, hour: number, minute = 0, year = 2026) {
  return { year, month, day, hour, minute };
}

describe("Europe/Berlin, spring forward (Sunday 29 March 2026, 02:00 CET -> 03:00 CEST)", () => {
  it("has offset 60 until 00:59:59.999Z and 120 from 01:00Z", () => {
    expect(zoneOffsetMinutes(new Date("2026-03-29T00:59:59.999Z"), BERLIN)).toBe(60);
    expect(zoneOffsetMinutes(new Date("2026-03-29T01:00:00.000Z"), BERLIN)).toBe(120);
    expect(toZonedIso(new Date("2026-03-29T00:59:59.999Z"), BERLIN)).toBe("2026-03-29T01:59:59.999+01:00");
    expect(toZonedIso(new Date("2026-03-29T01:00:00.000Z"), BERLIN)).toBe("2026-03-29T03:00:00.000+02:00");
  });

  it("converts wall times on either side of the gap", () => {
    expect(zonedToUtc(local(3, 29, 1, 30), BERLIN).toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(zonedToUtc(local(3, 29, 3, 0), BERLIN).toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(zonedToUtc(local(3, 29, 3, 30), BERLIN).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(zonedToUtc(local(3, 28, 12, 0), BERLIN).toISOString()).toBe("2026-03-28T11:00:00.000Z");
    expect(zonedToUtc(local(3, 30, 12, 0), BERLIN).toISOString()).toBe("2026-03-30T10:00:00.000Z");
  });

  it("maps the nonexistent 02:30 one hour forward, onto 03:30 CEST (same instant as 03:30)", () => {
    const gap = zonedToUtc(local(3, 29, 2, 30), BERLIN);
    expect(gap.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(toZonedIso(gap, BERLIN)).toBe("2026-03-29T03:30:00.000+02:00");
    expect(gap.getTime()).toBe(zonedToUtc(local(3, 29, 3, 30), BERLIN).getTime());
    expect(zonedDateKey(gap, BERLIN)).toBe("2026-03-29");
    expect(zonedWeekday(gap, BERLIN)).toBe(7);
  });

  it("makes that local day 23 hours long", () => {
    const start = zonedToUtc(local(3, 29, 0), BERLIN);
    const next = zonedToUtc(local(3, 30, 0), BERLIN);
    expect((next.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });
});

describe("Europe/Berlin, fall back (Sunday 25 October 2026, 03:00 CEST -> 02:00 CET)", () => {
  it("has offset 120 until 00:59:59.999Z and 60 from 01:00Z; the wall clock shows 02:xx twice", () => {
    expect(zoneOffsetMinutes(new Date("2026-10-25T00:59:59.999Z"), BERLIN)).toBe(120);
    expect(zoneOffsetMinutes(new Date("2026-10-25T01:00:00.000Z"), BERLIN)).toBe(60);
    expect(toZonedIso(new Date("2026-10-25T00:30:00.000Z"), BERLIN)).toBe("2026-10-25T02:30:00.000+02:00");
    expect(toZonedIso(new Date("2026-10-25T01:30:00.000Z"), BERLIN)).toBe("2026-10-25T02:30:00.000+01:00");
  });

  it("converts wall times on either side of the overlap", () => {
    expect(zonedToUtc(local(10, 25, 1, 30), BERLIN).toISOString()).toBe("2026-10-24T23:30:00.000Z");
    expect(zonedToUtc(local(10, 25, 3, 0), BERLIN).toISOString()).toBe("2026-10-25T02:00:00.000Z");
    expect(zonedToUtc(local(10, 24, 23, 30), BERLIN).toISOString()).toBe("2026-10-24T21:30:00.000Z");
  });

  it("resolves the ambiguous 02:30 to the later occurrence (CET, +01:00)", () => {
    const ambiguous = zonedToUtc(local(10, 25, 2, 30), BERLIN);
    expect(ambiguous.toISOString()).toBe("2026-10-25T01:30:00.000Z");
    expect(toZonedIso(ambiguous, BERLIN)).toBe("2026-10-25T02:30:00.000+01:00");
    expect(zoneOffsetMinutes(ambiguous, BERLIN)).toBe(60);
  });

  it("makes that local day 25 hours long", () => {
    const start = zonedToUtc(local(10, 25, 0), BERLIN);
    const next = zonedToUtc(local(10, 26, 0), BERLIN);
    expect((next.getTime() - start.getTime()) / 3_600_000).toBe(25);
  });
});

describe("every existing Berlin wall time in March and October 2026 round-trips", () => {
  it("zonedParts(zonedToUtc(t)) === t, except inside the spring gap", () => {
    const misses: string[] = [];
    for (const month of [3, 10]) {
      for (let day = 1; day <= 31; day++) {
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const t = local(month, day, Math.floor(minutes / 60), minutes % 60);
          const p = zonedParts(zonedToUtc(t, BERLIN), BERLIN);
          if (p.month !== t.month || p.day !== t.day || p.hour !== t.hour || p.minute !== t.minute) {
            misses.push(`${t.month}-${t.day} ${t.hour}:${t.minute}`);
          }
        }
      }
    }
    expect(misses).toEqual(["3-29 2:0", "3-29 2:15", "3-29 2:30", "3-29 2:45"]);
  });
});

describe("zonedDateKey and zonedWeekday", () => {
  it("use the zone's calendar day, not UTC's", () => {
    // 23:30Z on Saturday 24 Oct is already Sunday 25 Oct 01:30 in Berlin (CEST).
    const instant = new Date("2026-10-24T23:30:00.000Z");
    expect(zonedDateKey(instant, "UTC")).toBe("2026-10-24");
    expect(zonedWeekday(instant, "UTC")).toBe(6);
    expect(zonedDateKey(instant, BERLIN)).toBe("2026-10-25");
    expect(zonedWeekday(instant, BERLIN)).toBe(7);
  });

  it("numbers weekdays ISO style, Monday 1 to Sunday 7", () => {
    // 23–29 March 2026 is Monday to Sunday.
    const days = [23, 24, 25, 26, 27, 28, 29].map((d) => zonedWeekday(zonedToUtc(local(3, d, 12), BERLIN), BERLIN));
    expect(days).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("UTC", () => {
  it("is the identity with offset +00:00, even at Berlin's switch times", () => {
    const instant = zonedToUtc(local(3, 29, 2, 30), "UTC");
    expect(instant.toISOString()).toBe("2026-03-29T02:30:00.000Z");
    expect(zoneOffsetMinutes(instant, "UTC")).toBe(0);
    expect(toZonedIso(new Date("2026-10-25T01:30:00.123Z"), "UTC")).toBe("2026-10-25T01:30:00.123+00:00");
  });
});

describe("America/New_York", () => {
  it("renders negative offsets and keeps milliseconds", () => {
    const summer = zonedToUtc(local(7, 4, 12), NEW_YORK);
    expect(summer.toISOString()).toBe("2026-07-04T16:00:00.000Z");
    expect(zoneOffsetMinutes(summer, NEW_YORK)).toBe(-240);
    expect(toZonedIso(new Date("2026-07-04T16:00:00.250Z"), NEW_YORK)).toBe("2026-07-04T12:00:00.250-04:00");
  });

  it("crosses the date line backwards: 23:30 on 15 January is 04:30Z on the 16th", () => {
    const instant = zonedToUtc(local(1, 15, 23, 30), NEW_YORK);
    expect(instant.toISOString()).toBe("2026-01-16T04:30:00.000Z");
    expect(zoneOffsetMinutes(instant, NEW_YORK)).toBe(-300);
    expect(zonedDateKey(instant, NEW_YORK)).toBe("2026-01-15");
    expect(zonedWeekday(instant, NEW_YORK)).toBe(4);
    expect(zonedDateKey(instant, "UTC")).toBe("2026-01-16");
  });

  // Observed: the two-pass guess resolves DST edge cases differently for zones west of UTC than for Berlin.
  it("maps the nonexistent 02:30 on 8 March backwards (01:30 EST) and the ambiguous 01:30 on 1 November to EDT", () => {
    const gap = zonedToUtc(local(3, 8, 2, 30), NEW_YORK);
    expect(toZonedIso(gap, NEW_YORK)).toBe("2026-03-08T01:30:00.000-05:00");
    const ambiguous = zonedToUtc(local(11, 1, 1, 30), NEW_YORK);
    expect(toZonedIso(ambiguous, NEW_YORK)).toBe("2026-11-01T01:30:00.000-04:00");
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA names and rejects garbage", () => {
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Europe/Atlantis")).toBe(false);
  });
});
