import { describe, expect, it } from "vitest";
import { zonedToUtc } from "@/lib/time/zoned";
import { bookingWindowEnd, explainTime, type ReasonBooking, type ReasonEventType, type ReasonInput } from "./reasons";
import type { SlotSchedule } from "./schedule";

const TZ = "Europe/Berlin";
const berlin = (date: string, time: string) => {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return zonedToUtc({ year, month, day, hour, minute }, TZ);
};

const WEEK: SlotSchedule = {
  timeZone: TZ,
  availability: [
    { days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], startTime: "09:00", endTime: "18:00" },
    { days: ["Saturday"], startTime: "09:00", endTime: "14:00" },
  ],
  overrides: [],
};
const ALL_WEEK: SlotSchedule = {
  ...WEEK,
  availability: [
    {
      days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
      startTime: "09:00",
      endTime: "18:00",
    },
  ],
};

const ET: ReasonEventType = {
  id: 3757770,
  lengthInMinutes: 30,
  minimumBookingNotice: 0,
  beforeEventBuffer: 0,
  afterEventBuffer: 0,
  slotInterval: null,
  hidden: false,
  bookingWindow: null,
  hostIds: [],
  schedulingType: null,
};

// Monday 2026-06-15, 08:00 in Berlin.
const NOW = berlin("2026-06-15", "08:00");

function input(over: Partial<ReasonInput> & { et?: Partial<ReasonEventType> } = {}): ReasonInput {
  const { et, ...rest } = over;
  return {
    at: berlin("2026-06-16", "14:00"),
    now: NOW,
    timeZone: TZ,
    eventType: { ...ET, ...et },
    schedule: WEEK,
    bookings: [],
    serviceActive: true,
    circuitState: "closed",
    ...rest,
  };
}
const codes = (i: ReasonInput) => explainTime(i).map((r) => r.code);
const booking = (date: string, from: string, to: string, extra: Partial<ReasonBooking> = {}): ReasonBooking => ({
  uid: `b-${date}-${from}`,
  start: berlin(date, from),
  end: berlin(date, to),
  hostIds: [],
  beforeBuffer: 0,
  afterBuffer: 0,
  ...extra,
});

describe("explainTime", () => {
  it("finds nothing against a free time inside the hours", () => {
    expect(explainTime(input())).toEqual([]);
  });

  it("past comes first and replaces the notice check", () => {
    const reasons = explainTime(input({ at: berlin("2026-06-15", "07:00"), et: { minimumBookingNotice: 120 } }));
    expect(reasons.map((r) => r.code)).toEqual(["past", "outside-schedule"]);
    expect(reasons[0]!.detail).toContain("2026-06-15 07:00");
  });

  it("minimum notice: 120 min from 08:00 blocks 09:30 but not 10:00", () => {
    const blocked = explainTime(input({ at: berlin("2026-06-15", "09:30"), et: { minimumBookingNotice: 120 } }));
    expect(blocked.map((r) => r.code)).toEqual(["minimum-notice"]);
    expect(blocked[0]!.detail).toContain("2026-06-15 10:00");
    expect(codes(input({ at: berlin("2026-06-15", "10:00"), et: { minimumBookingNotice: 120 } }))).toEqual([]);
  });

  it("schedule: before opening, running past closing, Sunday and a closing override", () => {
    expect(codes(input({ at: berlin("2026-06-16", "08:30") }))).toEqual(["outside-schedule"]);
    expect(codes(input({ at: berlin("2026-06-16", "17:30") }))).toEqual([]);
    expect(codes(input({ at: berlin("2026-06-16", "17:45"), et: { slotInterval: 15 } }))).toEqual(["outside-schedule"]);
    const sunday = explainTime(input({ at: berlin("2026-06-21", "10:00") }));
    expect(sunday.map((r) => r.code)).toEqual(["outside-schedule"]);
    expect(sunday[0]!.detail).toContain("closed");
    const closed = { ...WEEK, overrides: [{ date: "2026-06-16", startTime: "00:00", endTime: "00:00" }] };
    expect(explainTime(input({ schedule: closed }))[0]!.detail).toContain("date override");
    const shortDay = { ...WEEK, overrides: [{ date: "2026-06-16", startTime: "15:00", endTime: "16:00" }] };
    expect(codes(input({ schedule: shortDay, at: berlin("2026-06-16", "15:30") }))).toEqual([]);
    expect(codes(input({ schedule: shortDay }))).toEqual(["outside-schedule"]);
  });

  it("off the slot grid: 14:10 on a 30 min grid names the neighbours", () => {
    const reasons = explainTime(input({ at: berlin("2026-06-16", "14:10") }));
    expect(reasons.map((r) => r.code)).toEqual(["off-grid"]);
    expect(reasons[0]!.detail).toContain("14:00 and 14:30");
    expect(codes(input({ at: berlin("2026-06-16", "14:15"), et: { slotInterval: 15 } }))).toEqual([]);
  });

  it("a direct overlap is 'booked'; a collision with buffers only is 'buffer'", () => {
    const b = booking("2026-06-16", "14:00", "14:30", { afterBuffer: 15 });
    expect(codes(input({ bookings: [b] }))).toEqual(["booked"]);
    expect(codes(input({ bookings: [b], at: berlin("2026-06-16", "14:30") }))).toEqual(["buffer"]);
    // The requested event type's own before buffer reaches back into the booking.
    const plain = booking("2026-06-16", "13:00", "13:30");
    expect(
      codes(input({ bookings: [plain], at: berlin("2026-06-16", "13:30"), et: { beforeEventBuffer: 10 } })),
    ).toEqual(["buffer"]);
    expect(codes(input({ bookings: [plain], at: berlin("2026-06-16", "13:30") }))).toEqual([]);
    // Its after buffer reaches forward into the next booking.
    const later = booking("2026-06-16", "14:30", "15:00");
    const reasons = explainTime(input({ bookings: [later], et: { afterEventBuffer: 15 } }));
    expect(reasons.map((r) => r.code)).toEqual(["buffer"]);
    expect(reasons[0]!.detail).toContain("15 min after");
  });

  it("buffer comes before booked when both apply", () => {
    const bookings = [
      booking("2026-06-16", "14:00", "14:30"),
      booking("2026-06-16", "14:40", "15:00", { beforeBuffer: 15 }),
    ];
    expect(codes(input({ bookings }))).toEqual(["buffer", "booked"]);
  });

  it("round robin needs one free host; collective needs every host", () => {
    const b = booking("2026-06-16", "14:00", "14:30", { hostIds: [1] });
    expect(codes(input({ bookings: [b], et: { hostIds: [1, 2], schedulingType: "roundRobin" } }))).toEqual([]);
    const both = [b, booking("2026-06-16", "13:45", "14:15", { hostIds: [2], uid: "x" })];
    const reasons = explainTime(input({ bookings: both, et: { hostIds: [1, 2], schedulingType: "roundRobin" } }));
    expect(reasons.map((r) => r.code)).toEqual(["booked"]);
    expect(reasons[0]!.detail).toContain("all 2 hosts");
    expect(codes(input({ bookings: [b], et: { hostIds: [1, 2], schedulingType: "collective" } }))).toEqual(["booked"]);
  });

  it("booking window: calendar days, business days and a fixed range", () => {
    const window = { type: "calendarDays" as const, days: 7 };
    expect(codes(input({ at: berlin("2026-06-22", "07:30"), et: { bookingWindow: window }, schedule: null }))).toEqual(
      [],
    );
    expect(codes(input({ at: berlin("2026-06-22", "08:00"), et: { bookingWindow: window } }))).toEqual([
      "outside-schedule",
      "booking-window",
    ]);
    expect(codes(input({ at: berlin("2026-06-23", "10:00"), et: { bookingWindow: window } }))).toEqual([
      "booking-window",
    ]);
    // 5 business days from Monday: Tue..Mon, so the window ends at midnight before Tuesday the 23rd.
    expect(bookingWindowEnd({ type: "businessDays", days: 5 }, NOW, TZ)).toEqual(berlin("2026-06-23", "00:00"));
    expect(
      codes(input({ at: berlin("2026-06-22", "17:00"), et: { bookingWindow: { type: "businessDays", days: 5 } } })),
    ).toEqual([]);
    const range = { type: "range" as const, from: "2026-07-01", to: "2026-07-31" };
    expect(codes(input({ et: { bookingWindow: range } }))).toEqual(["booking-window"]);
    expect(codes(input({ at: berlin("2026-07-31", "17:00"), et: { bookingWindow: range } }))).toEqual([]);
    expect(codes(input({ at: berlin("2026-08-03", "10:00"), et: { bookingWindow: range } }))).toEqual([
      "booking-window",
    ]);
  });

  it("hidden event type, inactive service and open circuit come last, in that order", () => {
    const reasons = explainTime(input({ et: { hidden: true }, serviceActive: false, circuitState: "open" }));
    expect(reasons.map((r) => r.code)).toEqual(["hidden", "service-inactive", "circuit-open"]);
    expect(codes(input({ circuitState: "half_open", serviceActive: null }))).toEqual([]);
  });

  it("orders several reasons most important first", () => {
    const reasons = explainTime(
      input({
        at: berlin("2026-06-14", "10:00"),
        et: { hidden: true, bookingWindow: { type: "range", from: "2026-07-01", to: "2026-07-31" } },
        bookings: [booking("2026-06-14", "10:00", "10:30")],
        circuitState: "open",
      }),
    );
    expect(reasons.map((r) => r.code)).toEqual([
      "past",
      "outside-schedule",
      "booked",
      "booking-window",
      "hidden",
      "circuit-open",
    ]);
  });

  it("works without event type settings or schedule (Cal.com unreachable)", () => {
    expect(codes({ ...input(), eventType: null, schedule: null, circuitState: "open" })).toEqual(["circuit-open"]);
  });
});

describe("explainTime across the Europe/Berlin daylight-saving switch", () => {
  // Last Sunday of March 2026 (29th): 02:00 CET becomes 03:00 CEST. Last Sunday of October (25th): 03:00 CEST becomes 02:00 CET.
  it("March: 09:00 local is 08:00Z on Saturday and 07:00Z on Sunday", () => {
    const now = new Date("2026-03-20T12:00:00Z");
    const base = input({ now, schedule: ALL_WEEK });
    expect(berlin("2026-03-28", "09:00").toISOString()).toBe("2026-03-28T08:00:00.000Z");
    expect(codes({ ...base, at: new Date("2026-03-28T08:00:00Z") })).toEqual([]);
    expect(codes({ ...base, at: new Date("2026-03-28T07:30:00Z") })).toEqual(["outside-schedule"]);
    expect(codes({ ...base, at: new Date("2026-03-29T07:00:00Z") })).toEqual([]);
    expect(codes({ ...base, at: new Date("2026-03-29T06:30:00Z") })).toEqual(["outside-schedule"]);
    // Closing time moves too: 17:30 local is 16:30Z on Sunday, 17:30Z would be 19:30 local.
    expect(codes({ ...base, at: new Date("2026-03-29T15:30:00Z") })).toEqual([]);
    expect(codes({ ...base, at: new Date("2026-03-29T16:30:00Z") })).toEqual(["outside-schedule"]);
    const detail = explainTime({ ...base, at: new Date("2026-03-29T06:30:00Z") })[0]!.detail;
    expect(detail).toContain("2026-03-29: 09:00-18:00");
    expect(detail).toContain("2026-03-29 08:30");
  });

  it("October: 09:00 local is 07:00Z on Saturday and 08:00Z on Sunday", () => {
    const now = new Date("2026-10-20T12:00:00Z");
    const base = input({ now, schedule: ALL_WEEK });
    expect(codes({ ...base, at: new Date("2026-10-24T07:00:00Z") })).toEqual([]);
    expect(codes({ ...base, at: new Date("2026-10-25T07:00:00Z") })).toEqual(["outside-schedule"]);
    expect(codes({ ...base, at: new Date("2026-10-25T08:00:00Z") })).toEqual([]);
    expect(codes({ ...base, at: new Date("2026-10-25T16:30:00Z") })).toEqual([]);
    expect(codes({ ...base, at: new Date("2026-10-25T17:00:00Z") })).toEqual(["outside-schedule"]);
  });

  it("minimum notice counts real minutes through the lost hour", () => {
    // Saturday 23:00 CET = 22:00Z; 600 min later is Sunday 08:00Z = 10:00 CEST (nine wall-clock hours would say 09:00).
    const now = new Date("2026-03-28T22:00:00Z");
    const base = input({ now, schedule: ALL_WEEK, et: { minimumBookingNotice: 600 } });
    const blocked = explainTime({ ...base, at: berlin("2026-03-29", "09:30") });
    expect(blocked.map((r) => r.code)).toEqual(["minimum-notice"]);
    expect(blocked[0]!.detail).toContain("2026-03-29 10:00");
    expect(codes({ ...base, at: berlin("2026-03-29", "10:00") })).toEqual([]);
  });

  it("a buffer spans the October night correctly", () => {
    const now = new Date("2026-10-20T12:00:00Z");
    const schedule: SlotSchedule = {
      timeZone: TZ,
      availability: [{ days: ["Sunday"], startTime: "00:00", endTime: "06:00" }],
      overrides: [],
    };
    // 01:30-02:30 CEST (23:30Z-00:30Z); 02:30 CET is 01:30Z, an hour after the booking ends on the clock that repeats.
    const b: ReasonBooking = {
      uid: "night",
      start: new Date("2026-10-24T23:30:00Z"),
      end: new Date("2026-10-25T00:30:00Z"),
      hostIds: [],
      beforeBuffer: 0,
      afterBuffer: 30,
    };
    const base = input({ now, schedule, bookings: [b], et: { slotInterval: 30 } });
    expect(codes({ ...base, at: new Date("2026-10-25T00:30:00Z") })).toEqual(["buffer"]);
    expect(codes({ ...base, at: new Date("2026-10-25T01:00:00Z") })).toEqual([]);
  });

  it("business-day window ends at local midnight in summer and winter time", () => {
    expect(bookingWindowEnd({ type: "businessDays", days: 1 }, new Date("2026-03-27T12:00:00Z"), TZ)).toEqual(
      new Date("2026-03-30T22:00:00Z"),
    );
    expect(bookingWindowEnd({ type: "businessDays", days: 1 }, new Date("2026-10-23T12:00:00Z"), TZ)).toEqual(
      new Date("2026-10-26T23:00:00Z"),
    );
  });
});
