import { describe, expect, it } from "vitest";
import { classifyStatus } from "./errors";

describe("classifyStatus", () => {
  it("maps authentication failures to CAL-001 without tripping the breaker", () => {
    expect(classifyStatus(401, "me", "GET", undefined, "/v2/x")).toEqual({
      calCode: "CAL-001",
      isBreakerFailure: false,
    });
    expect(classifyStatus(498, "bookings", "GET", undefined, "/v2/x").calCode).toBe("CAL-001");
  });

  // 404 by endpoint family: booking uid, event type, team, or a wrong version/route. 403 on schedules or event types:
  // a key lacking access (CAL-016), not an invalid key.
  it.each([
    [404, "bookings", "POST", "/v2/bookings", "CAL-011"],
    [404, "eventTypes", "GET", "/v2/x", "CAL-002"],
    [404, "teams", "GET", "/v2/x", "CAL-006"],
    [404, "slots", "GET", "/v2/x", "CAL-015"],
    [403, "schedules", "GET", "/v2/schedules/{id}", "CAL-016"],
    [403, "eventTypes", "GET", "/v2/event-types/{id}", "CAL-016"],
    [403, "bookings", "GET", "/v2/bookings", "CAL-001"],
    [403, "teams", "GET", "/v2/teams/{id}", "CAL-006"],
  ] as const)("maps %i on %s %s %s to %s", (status, family, method, path, calCode) => {
    expect(classifyStatus(status, family, method, undefined, path).calCode).toBe(calCode);
  });

  it("counts 5xx and 429 as breaker failures, 4xx never", () => {
    expect(classifyStatus(500, "slots", "GET", undefined, "/v2/x")).toEqual({
      calCode: "CAL-012",
      isBreakerFailure: true,
    });
    expect(classifyStatus(503, "bookings", "POST", undefined, "/v2/bookings").isBreakerFailure).toBe(true);
    expect(classifyStatus(429, "slots", "GET", undefined, "/v2/x")).toEqual({
      calCode: "CAL-005",
      isBreakerFailure: true,
    });
    for (const status of [400, 401, 403, 404, 409])
      expect(classifyStatus(status, "bookings", "POST", undefined, "/v2/bookings").isBreakerFailure).toBe(false);
  });

  it("refines a 400 from structured validation details, not message text", () => {
    const tz = { errors: [{ property: "timeZone", constraints: { isTimeZone: "x" } }] };
    const start = { errors: [{ property: "start", constraints: { isISO8601: "x" } }] };
    const other = { errors: [{ property: "attendee" }] };
    expect(classifyStatus(400, "slots", "GET", tz, "/v2/x").calCode).toBe("CAL-008");
    expect(classifyStatus(400, "slots", "GET", start, "/v2/x").calCode).toBe("CAL-004");
    expect(classifyStatus(400, "bookings", "POST", other, "/v2/bookings").calCode).toBe("CAL-014");
    // A create refused with a plain string (contract §2, §8.1) may be a taken slot or bad input: the booking flow
    // asks GET /v2/slots to tell them apart, the client does not guess.
    expect(
      classifyStatus(400, "bookings", "POST", { message: "anything", statusCode: 400 }, "/v2/bookings").calCode,
    ).toBe("CAL-014");
    expect(classifyStatus(409, "bookings", "POST", undefined, "/v2/bookings").calCode).toBe("CAL-009");
    expect(classifyStatus(400, "bookings", "POST", { statusCode: 400 }, "/v2/bookings/{uid}/reschedule").calCode).toBe(
      "CAL-014",
    );
    // Cancelling an already-cancelled or ended booking is a rejected request, not a taken slot.
    expect(classifyStatus(400, "bookings", "POST", { statusCode: 400 }, "/v2/bookings/{uid}/cancel").calCode).toBe(
      "CAL-014",
    );
  });
});
