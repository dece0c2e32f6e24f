import { describe, expect, it } from "vitest";
import { classifyStatus } from "./errors";

describe("classifyStatus", () => {
  it("maps authentication failures to CAL-001 without tripping the breaker", () => {
    expect(classifyStatus(401, "me", "GET", undefined)).toEqual({ calCode: "CAL-001", isBreakerFailure: false });
    expect(classifyStatus(498, "bookings", "GET", undefined).calCode).toBe("CAL-001");
  });

  it("maps 404 by endpoint family: booking uid, event type, team, or a wrong version/route", () => {
    expect(classifyStatus(404, "bookings", "POST", undefined).calCode).toBe("CAL-011");
    expect(classifyStatus(404, "eventTypes", "GET", undefined).calCode).toBe("CAL-002");
    expect(classifyStatus(404, "teams", "GET", undefined).calCode).toBe("CAL-006");
    expect(classifyStatus(404, "slots", "GET", undefined).calCode).toBe("CAL-015");
  });

  it("counts 5xx and 429 as breaker failures, 4xx never", () => {
    expect(classifyStatus(500, "slots", "GET", undefined)).toEqual({ calCode: "CAL-012", isBreakerFailure: true });
    expect(classifyStatus(503, "bookings", "POST", undefined).isBreakerFailure).toBe(true);
    expect(classifyStatus(429, "slots", "GET", undefined)).toEqual({ calCode: "CAL-005", isBreakerFailure: true });
    for (const status of [400, 401, 403, 404, 409]) expect(classifyStatus(status, "bookings", "POST", undefined).isBreakerFailure).toBe(false);
  });

  it("refines a 400 from structured validation details, not message text", () => {
    const tz = { errors: [{ property: "timeZone", constraints: { isTimeZone: "x" } }] };
    const start = { errors: [{ property: "start", constraints: { isISO8601: "x" } }] };
    const other = { errors: [{ property: "attendee" }] };
    expect(classifyStatus(400, "slots", "GET", tz).calCode).toBe("CAL-008");
    expect(classifyStatus(400, "slots", "GET", start).calCode).toBe("CAL-004");
    expect(classifyStatus(400, "bookings", "POST", other).calCode).toBe("CAL-014");
    // A create refused without validation errors: slot taken, past or out of bounds.
    expect(classifyStatus(400, "bookings", "POST", { message: "anything", statusCode: 400 }).calCode).toBe("CAL-003");
    expect(classifyStatus(409, "bookings", "POST", undefined).calCode).toBe("CAL-009");
  });
});
