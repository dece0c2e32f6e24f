import { describe, expect, it } from "vitest";
import { CalcomError } from "@/lib/calcom/errors";
import { classifyAttemptError } from "./calcom-attempt";

const err = (status: number | null, calCode: CalcomError["calCode"], isBreakerFailure = false) =>
  new CalcomError({
    calCode,
    status,
    message: "x",
    family: "bookings",
    method: "POST",
    path: "/v2/bookings",
    isBreakerFailure,
  });

describe("classifyAttemptError", () => {
  it("a 2xx answer that did not parse may be a booking: queued (outage), never refused", () => {
    // Refusing it would mark the appointment rejected and free the slot while Cal.com holds the booking.
    expect(classifyAttemptError(err(201, "CAL-014"))).toMatchObject({ kind: "outage", reasonCode: "calcom_failing" });
  });

  it("timeouts and 5xx are outages; a taken slot is 'taken'; a validation 400 is a refusal", () => {
    expect(classifyAttemptError(err(null, "CAL-012", true))).toMatchObject({ kind: "outage" });
    expect(classifyAttemptError(err(503, "CAL-012", true))).toMatchObject({ kind: "outage" });
    expect(classifyAttemptError(err(400, "CAL-003"))).toMatchObject({ kind: "taken" });
    expect(classifyAttemptError(err(400, "CAL-014"))).toMatchObject({ kind: "rejected" });
  });
});
