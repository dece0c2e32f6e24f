import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { slotCapacity } from "./calcom-attempt";
import { parseOrBadRequest } from "@/lib/errors";
import { attendeeSchema, normalizePhone } from "./schemas";

describe("attendee validation", () => {
  it("normalises phone numbers to E.164 and refuses numbers without a country code", () => {
    expect(normalizePhone("+49 (30) 1234-567")).toBe("+49301234567");
    expect(normalizePhone("0049 30 1234567")).toBe("+49301234567");
    const a = parseOrBadRequest(attendeeSchema, { name: "A", phone: "0049 170 1234567", timeZone: "Europe/Berlin" });
    expect(a.phone).toBe("+491701234567");
    expect(() => parseOrBadRequest(attendeeSchema, { name: "A", phone: "0170 1234567" })).toThrow(/country code/);
  });

  it("answers one readable 400 naming the field", () => {
    try {
      parseOrBadRequest(attendeeSchema, { name: "A", email: "a@", timeZone: "Europe/Berlin" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).message).toBe("attendee.email is not a valid email address");
    }
  });
});

describe("slot capacity", () => {
  const base = { id: 1, title: "t", slug: "t", lengthInMinutes: 30 };
  it("is one per host for round robin, the seat count for seated event types, else one", () => {
    expect(slotCapacity({ ...base, schedulingType: "roundRobin", hosts: [{}, {}, {}] })).toBe(3);
    expect(slotCapacity({ ...base, schedulingType: "collective", hosts: [{}, {}] })).toBe(1);
    expect(slotCapacity({ ...base, seatsPerTimeSlot: 8 })).toBe(8);
    expect(slotCapacity(base)).toBe(1);
  });
});
