import { describe, expect, it } from "vitest";
import { familyOfPath, parseRawPath } from "./raw-api";
import { REDACTED, redactSensitive } from "./redact";

describe("parseRawPath", () => {
  it("keeps paths under /v2 and moves the guide's /slots/available there", () => {
    expect(parseRawPath("/v2/me")).toEqual({ path: "/v2/me", query: {} });
    expect(parseRawPath("slots/available?eventTypeId=1&startTime=x")).toEqual({
      path: "/v2/slots/available",
      query: { eventTypeId: "1", startTime: "x" },
    });
  });

  it("refuses anything that could leave the API base", () => {
    for (const bad of [
      "https://evil.example/v2/me",
      "//evil.example/v2/me",
      "/v2/../admin",
      "/v2/%2e%2e/x",
      "/v2/me#frag",
      "/v2/a b",
      "/v2",
      "javascript:alert(1)",
    ]) {
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

describe("the read allowlist", () => {
  it("allows the read families", () => {
    for (const ok of [
      "/v2/me",
      "/v2/teams",
      "/v2/teams/34209",
      "/v2/teams/34209/event-types",
      "/v2/organizations/9/teams/34209/event-types/5",
      "/v2/event-types/7",
      "/v2/slots",
      "/slots/available",
      "/v2/bookings",
      "/v2/bookings/abc-123",
      "/v2/schedules/default",
    ]) {
      expect(parseRawPath(ok).path, ok).toMatch(/^\/v2\//);
    }
  });

  it("refuses every other family with the list of allowed ones", () => {
    for (const bad of [
      "/v2/webhooks",
      "/v2/webhooks/1",
      "/v2/api-keys",
      "/v2/oauth-clients/x",
      "/v2/teams/1/memberships",
      "/v2/organizations/9/users",
      "/v2/bookings/abc/cancel",
      "/v2/me/extra",
    ]) {
      expect(() => parseRawPath(bad), bad).toThrow(
        expect.objectContaining({
          code: "BAD_REQUEST",
          message: expect.stringContaining(
            "The raw console only reads me, teams, event-types, slots, bookings, schedules",
          ),
        }),
      );
    }
  });
});

describe("redactSensitive", () => {
  it("replaces every field named like secret, key, token or password, at any depth, and keeps the rest", () => {
    const body = {
      id: 1,
      secret: "whsec_1",
      apiKey: "cal_live_x",
      nested: { webhookSecret: "s", accessToken: "t", refresh_token: "r", password: "p", keep: "visible" },
      list: [{ Secret: "a" }, { PASSWORD: "b", name: "n" }],
      emptySecret: null,
    };
    expect(redactSensitive(body)).toEqual({
      id: 1,
      secret: REDACTED,
      apiKey: REDACTED,
      nested: {
        webhookSecret: REDACTED,
        accessToken: REDACTED,
        refresh_token: REDACTED,
        password: REDACTED,
        keep: "visible",
      },
      list: [{ Secret: REDACTED }, { PASSWORD: REDACTED, name: "n" }],
      emptySecret: null,
    });
    expect(redactSensitive("plain")).toBe("plain");
    expect(redactSensitive([1, { key: { deep: 1 } }])).toEqual([1, { key: REDACTED }]);
  });
});
