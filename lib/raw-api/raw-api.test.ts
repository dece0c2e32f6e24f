import { describe, expect, it } from "vitest";
import { familyOfPath, parseRawPath } from "./raw-api";

describe("parseRawPath", () => {
  it("keeps paths under /v2 and moves the guide's /slots/available there", () => {
    expect(parseRawPath("/v2/me")).toEqual({ path: "/v2/me", query: {} });
    expect(parseRawPath("slots/available?eventTypeId=1&startTime=x")).toEqual({ path: "/v2/slots/available", query: { eventTypeId: "1", startTime: "x" } });
  });

  it("refuses anything that could leave the API base", () => {
    for (const bad of ["https://evil.example/v2/me", "//evil.example/v2/me", "/v2/../admin", "/v2/%2e%2e/x", "/v2/me#frag", "/v2/a b", "/v2", "javascript:alert(1)"]) {
      expect(() => parseRawPath(bad), bad).toThrow();
    }
  });

  it("picks the endpoint family that decides the version header", () => {
    expect(familyOfPath("/v2/bookings/abc")).toBe("bookings");
    expect(familyOfPath("/v2/slots")).toBe("slots");
    expect(familyOfPath("/v2/slots/available")).toBe("slotsLegacy");
    expect(familyOfPath("/v2/event-types/1")).toBe("eventTypes");
    expect(familyOfPath("/v2/teams/1/event-types")).toBe("teams");
    expect(familyOfPath("/v2/webhooks")).toBe("me");
  });
});
