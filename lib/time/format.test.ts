import { describe, expect, it } from "vitest";
import {
  formatAxisTick,
  formatClock,
  formatDateTime,
  formatLocal,
  formatMinutes,
  formatRelative,
  fromDateTimeLocalValue,
  plural,
  toDateTimeLocalValue,
  zoneAbbreviation,
} from "./format";

const WINTER = new Date("2026-12-07T08:23:51.301Z");
const SUMMER = new Date("2026-07-07T08:23:00.000Z");

describe("formatDateTime", () => {
  it("shows the instant on the zone's wall clock, 24-hour, with the zone named", () => {
    expect(formatDateTime(WINTER, "Europe/Berlin")).toBe("2026-12-07 09:23 CET");
    expect(formatDateTime(SUMMER, "Europe/Berlin")).toBe("2026-07-07 10:23 CEST");
    expect(formatDateTime(WINTER, "America/New_York")).toBe("2026-12-07 03:23 EST");
    expect(formatDateTime(WINTER, "UTC", { seconds: true })).toBe("2026-12-07 08:23:51 UTC");
    expect(formatDateTime("2026-12-07T23:30:00Z", "Europe/Berlin", { weekday: true })).toBe("Tue 2026-12-08 00:30 CET");
  });

  it("falls back to a UTC offset for zones without a common abbreviation", () => {
    expect(zoneAbbreviation(WINTER, "Asia/Kolkata")).toBe("UTC+05:30");
  });

  it("states staff-facing times with the weekday and the IANA zone", () => {
    expect(formatLocal(WINTER, "Europe/Berlin")).toBe("Mon 2026-12-07 09:23 CET (Europe/Berlin)");
  });
});

describe("datetime-local values", () => {
  it("round-trip through the zone's wall clock, whatever zone the browser is in", () => {
    expect(toDateTimeLocalValue(WINTER, "Europe/Berlin")).toBe("2026-12-07T09:23");
    expect(toDateTimeLocalValue(WINTER, "America/New_York")).toBe("2026-12-07T03:23");
    expect(fromDateTimeLocalValue("2026-12-07T09:23", "Europe/Berlin")?.toISOString()).toBe("2026-12-07T08:23:00.000Z");
    expect(fromDateTimeLocalValue("2026-12-07T03:23", "America/New_York")?.toISOString()).toBe(
      "2026-12-07T08:23:00.000Z",
    );
    expect(fromDateTimeLocalValue("", "Europe/Berlin")).toBeNull();
  });
});

describe("relative times, durations and plurals", () => {
  it("says how long ago or ahead", () => {
    const now = WINTER.getTime();
    expect(formatRelative(now - 10_000, now)).toBe("just now");
    expect(formatRelative(now - 5 * 60_000, now)).toBe("5 min ago");
    expect(formatRelative(now + 30 * 60_000, now)).toBe("in 30 min");
    expect(formatRelative(now - 3 * 3_600_000, now)).toBe("3 h ago");
    expect(formatRelative(now - 24 * 3_600_000 * 3, now)).toBe("3 days ago");
  });

  it("writes durations and counts as people say them", () => {
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(1440)).toBe("1 day");
    expect(formatMinutes(1440 + 6 * 60)).toBe("1 day 6 h");
    expect(plural(1, "try", "tries")).toBe("1 try");
    expect(plural(2, "try", "tries")).toBe("2 tries");
    expect(plural(1, "failed delivery", "failed deliveries")).toBe("1 failed delivery");
  });
});

describe("chart ticks", () => {
  it("label the axis in the zone, 24-hour, with the day beyond a day and a half", () => {
    expect(formatClock(WINTER, "Europe/Berlin")).toBe("09:23");
    expect(formatAxisTick(WINTER.getTime(), "Europe/Berlin", 3_600_000)).toBe("09:23");
    expect(formatAxisTick(WINTER.getTime(), "America/New_York", 7 * 86_400_000)).toBe("07 Dec 03:23");
  });
});
