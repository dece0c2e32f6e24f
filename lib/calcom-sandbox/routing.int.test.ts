import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTestDb } from "@/test/db";
import { MSG } from "./constants";
import { createSandboxFixture, type SandboxFixture } from "./test-fixtures";

// Version routing, auth, envelopes and the team-vs-user event type incident, over real HTTP.
let fx: SandboxFixture;
const ORG_ID = 777_001;

beforeAll(async () => {
  fx = await createSandboxFixture(await getTestDb(), { organizationId: ORG_ID });
});
afterAll(async () => {
  await fx?.close();
});

type ErrorBody = {
  status: string;
  timestamp: string;
  path: string;
  error: { code: string; message: string; details: Record<string, unknown> };
};
const SLOTS_QUERY = () => `/v2/slots?eventTypeId=${fx.et(3757770)}&start=2050-09-05&end=2050-09-05`;

describe("cal-api-version routing", () => {
  it("serves GET /v2/slots only for 2024-09-04; anything else is the legacy 404", async () => {
    expect((await fx.call(SLOTS_QUERY(), { version: "2024-09-04" })).status).toBe(200);
    for (const version of [null, "2024-08-13", "2026-02-25", "1999-01-01"]) {
      const res = await fx.call(SLOTS_QUERY(), { version });
      expect(res.status).toBe(404);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe("NotFoundException");
      expect(body.error.message).toBe(`Cannot GET ${SLOTS_QUERY()}`);
      expect(body.path).toBe(SLOTS_QUERY());
    }
  });

  it("answers the legacy /v2/slots/available in its own shape, but not for 2024-09-04", async () => {
    const q = `/v2/slots/available?eventTypeId=${fx.et(3757770)}&startTime=2050-09-05T00:00:00Z&endTime=2050-09-05T23:59:59Z&timeZone=Europe/Berlin`;
    const res = await fx.call(q, { version: null });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { slots: Record<string, { time: string }[]> } };
    expect(body.data.slots["2050-09-05"]?.[0]).toEqual({ time: "2050-09-05T09:00:00.000+02:00" });
    expect((await fx.call(q, { version: "2024-09-04" })).status).toBe(404);
    const bad = await fx.call(q.replace("endTime=2050-09-05T23:59:59Z", "endTime=2050-09-01T00:00:00Z"), {
      version: "2024-08-13",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toBe(MSG.legacyBadRange);
  });

  it("routes event types: 2024-06-14 new shape, none/2024-06-11 legacy groups, 2024-08-13 404", async () => {
    const legacy = await fx.call("/v2/event-types", { version: null });
    expect(legacy.status).toBe(200);
    const groups = (
      (await legacy.json()) as { data: { eventTypeGroups: { teamId: number | null; eventTypes: unknown[] }[] } }
    ).data.eventTypeGroups;
    expect(groups.find((g) => g.teamId === fx.teamId)?.eventTypes).toHaveLength(45);
    const older = await fx.call("/v2/event-types", { version: "2024-06-11" });
    expect(((await older.json()) as { data: Record<string, unknown> }).data).toHaveProperty("eventTypeGroups");
    const wrong = await fx.call("/v2/event-types", { version: "2024-08-13" });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as ErrorBody).error.message).toBe("Cannot GET /v2/event-types");
  });

  it("routes bookings: 2024-06-14 reaches the legacy list, 2024-09-04 is a 404, no header gets the legacy create validation", async () => {
    const legacyList = await fx.call("/v2/bookings", { version: "2024-06-14" });
    expect(legacyList.status).toBe(200);
    expect(((await legacyList.json()) as { data: Record<string, unknown> }).data).toMatchObject({
      bookings: [],
      recurringInfo: [],
      nextCursor: null,
    });
    expect((await fx.call("/v2/bookings", { version: "2024-09-04" })).status).toBe(404);
    const create = await fx.call("/v2/bookings", {
      version: null,
      body: {
        start: "2050-09-05T08:00:00Z",
        eventTypeId: fx.et(3757770),
        attendee: { name: "A", email: "a@example.com", timeZone: "Europe/Berlin" },
      },
    });
    expect(create.status).toBe(400);
    const body = (await create.json()) as ErrorBody;
    expect(body.error.message).toBe("Bad Request Exception");
    const props = (body.error.details.errors as { property: string }[]).map((e) => e.property);
    expect(props).toEqual(["timeZone", "language", "metadata"]);
    const reschedule = await fx.call("/v2/bookings/abc/reschedule", {
      version: null,
      body: { start: "2050-09-05T08:00:00Z" },
    });
    expect(reschedule.status).toBe(404);
    expect(((await reschedule.json()) as ErrorBody).error.message).toBe("Cannot POST /v2/bookings/abc/reschedule");
  });

  it("answers /v2/me and /v2/teams for any known version, none, or an unknown one", async () => {
    for (const version of [null, "2024-04-15", "2024-08-13", "2024-09-04", "2026-02-25", "2099-12-31"]) {
      expect((await fx.call("/v2/me", { version })).status).toBe(200);
      expect((await fx.call("/v2/teams", { version })).status).toBe(200);
    }
  });
});

describe("auth", () => {
  it("rejects missing, unknown and non-cal_ credentials with Cal.com's texts", async () => {
    const none = await fx.call("/v2/me", { key: null });
    expect(none.status).toBe(401);
    expect(((await none.json()) as ErrorBody).error).toMatchObject({
      code: "UnauthorizedException",
      message: MSG.noAuth,
    });
    const unknown = await fx.call("/v2/me", { key: "cal_test_unknown_key" });
    expect(((await unknown.json()) as ErrorBody).error.message).toBe(
      "ApiAuthStrategy - api key - Your api key is not valid",
    );
    const token = await fx.call("/v2/me", { key: "eyJhbGciOi.not-a-key" });
    expect(token.status).toBe(401);
    expect(((await token.json()) as ErrorBody).error.message).toBe(MSG.invalidAccessToken);
  });

  it("rejects list endpoints without credentials with 403 PermissionsGuard", async () => {
    for (const [path, version] of [
      ["/v2/bookings", "2024-08-13"],
      ["/v2/teams", null],
    ] as const) {
      const res = await fx.call(path, { key: null, version });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error).toMatchObject({
        code: "ForbiddenException",
        message: MSG.listNoAuth,
      });
    }
  });

  it("serves optional-auth endpoints without a key", async () => {
    expect((await fx.call(`/v2/teams/${fx.teamId}/event-types`, { key: null })).status).toBe(200);
    expect((await fx.call(SLOTS_QUERY(), { key: null, version: "2024-09-04" })).status).toBe(200);
    const missing = await fx.call("/v2/bookings/nope", { key: null, version: "2024-08-13" });
    expect(((await missing.json()) as ErrorBody).error.message).toBe(
      "Booking with uid=nope was not found in the database",
    );
  });
});

describe("envelopes", () => {
  it("wraps errors in the HttpExceptionFilter envelope and echoes X-Request-Id", async () => {
    const res = await fx.call("/v2/event-types/999", { version: "2024-06-14", headers: { "x-request-id": "req-123" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("req-123");
    const body = (await res.json()) as ErrorBody;
    expect(Object.keys(body)).toEqual(["status", "timestamp", "path", "error"]);
    expect(body).toMatchObject({
      status: "error",
      path: "/v2/event-types/999",
      error: {
        code: "NotFoundException",
        message: "Event type with id 999 not found.",
        details: { message: "Event type with id 999 not found.", error: "Not Found", statusCode: 404 },
      },
    });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    const anonymous = await fx.call("/v2/event-types/999", { version: "2024-06-14" });
    expect(anonymous.headers.get("x-request-id")).toBe("unknown-request-id");
  });

  it("answers success as { status, data } with the me and teams shapes", async () => {
    const me = (await (await fx.call("/v2/me")).json()) as { status: string; data: Record<string, unknown> };
    expect(me.status).toBe("success");
    expect(Object.keys(me.data)).toEqual([
      "id",
      "username",
      "email",
      "name",
      "avatarUrl",
      "bio",
      "timeFormat",
      "defaultScheduleId",
      "weekStart",
      "timeZone",
      "organizationId",
    ]);
    const teams = (await (await fx.call("/v2/teams")).json()) as {
      data: { id: number; slug: string; isOrganization: boolean }[];
    };
    expect(teams.data).toEqual([
      expect.objectContaining({ id: fx.teamId, slug: fx.tenant.teamSlug, isOrganization: false }),
    ]);
  });
});

describe("team vs user event types (the sync incident)", () => {
  it("lists nothing on GET /v2/event-types for a team-only key, 45 on the team endpoint", async () => {
    const own = await fx.call("/v2/event-types", { version: "2024-06-14" });
    expect(((await own.json()) as { data: unknown[] }).data).toEqual([]);
    const team = await fx.call(`/v2/teams/${fx.teamId}/event-types`);
    const list = (
      (await team.json()) as {
        data: { id: number; title: string; hidden: boolean; teamId: number; schedulingType: string }[];
      }
    ).data;
    expect(list).toHaveLength(45);
    expect(list.filter((e) => e.hidden)).toHaveLength(26);
    expect(list.find((e) => e.id === fx.et(3757770))).toMatchObject({
      title: "Herrenhaarschnitt",
      teamId: fx.teamId,
      schedulingType: "roundRobin",
    });
  });

  it("filters the team list by eventSlug and serves one team event type to a member", async () => {
    const bySlug = await fx.call(`/v2/teams/${fx.teamId}/event-types?eventSlug=herrenhaarschnitt`);
    expect(((await bySlug.json()) as { data: { id: number }[] }).data.map((e) => e.id)).toEqual([fx.et(3757770)]);
    const one = await fx.call(`/v2/event-types/${fx.et(3757770)}`, { version: "2024-06-14" });
    expect(one.status).toBe(200);
    const data = ((await one.json()) as { data: { hosts: { userId: number }[]; team: { id: number } } }).data;
    expect(data.team.id).toBe(fx.teamId);
    expect(data.hosts.map((h) => h.userId)).toEqual(fx.tenant.staff.map((s) => s.calcomUserId));
    const byId = await fx.call(`/v2/teams/${fx.teamId}/event-types/${fx.et(3757770)}`);
    expect(byId.status).toBe(200);
  });

  it("serves the organization route only for a team inside that organization", async () => {
    const ok = await fx.call(`/v2/organizations/${ORG_ID}/teams/${fx.teamId}/event-types`);
    expect(((await ok.json()) as { data: unknown[] }).data).toHaveLength(45);
    const other = await fx.call(`/v2/organizations/1234/teams/${fx.teamId}/event-types`);
    expect(other.status).toBe(403);
  });
});
