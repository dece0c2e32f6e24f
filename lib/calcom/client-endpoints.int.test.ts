import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import { keyUserFor } from "@/lib/calcom-sandbox/seed-catalog";
import {
  berlin,
  createSandboxFixture,
  withSandboxFixture,
  type SandboxFixture,
} from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { callRows, createTestCompany, startRecordingProxy, thrown, upstreamCount } from "./client-test-helpers";
import {
  cancelBooking,
  createBooking,
  getBooking,
  getEventType,
  getMe,
  getSlots,
  listBookings,
  listTeamEventTypes,
  rescheduleBooking,
} from "./endpoints";

// Every endpoint of the Cal.com client against the sandbox over real HTTP, and the headers that went over the wire.
let db: Db;
let fx: SandboxFixture;
const HERREN = 3757770; // 30 min, round robin over the tenant's three hairdressers
const ORG_ID = 77_000_001;

const attendee = (name: string) => ({
  name,
  email: `${name.replace(/\s/g, ".").toLowerCase()}@example.com`,
  timeZone: "Europe/Berlin",
});
const at = (date: string, time: string) => new Date(berlin(date, time));

withSandboxFixture((d, f) => {
  db = d;
  fx = f;
});

describe("endpoints", () => {
  it("getMe returns the key's user", async () => {
    const { http } = await createTestCompany(db, { fx });
    const me = await getMe(http);
    const keyUser = keyUserFor(fx.tenant);
    expect(me.data).toMatchObject({ id: keyUser.id, username: keyUser.username, email: keyUser.email });
    expect(me.isCacheHit).toBe(false);
    expect(me.exchange.response?.status).toBe(200);
  });

  it("lists the team's 45 event types on the team route, and on the organization route when an organization is set", async () => {
    const { http } = await createTestCompany(db, { fx });
    const team = await listTeamEventTypes(http);
    expect(team.data).toHaveLength(45);
    expect(new Set(team.data.map((et) => et.teamId))).toEqual(new Set([fx.teamId]));
    expect(team.exchange.request.url).toBe(`${fx.url}/v2/teams/${fx.teamId}/event-types`);

    const org = await createSandboxFixture(db, { organizationId: ORG_ID });
    try {
      const { http: orgHttp, companyId } = await createTestCompany(db, { fx: org, organizationId: ORG_ID });
      const listed = await listTeamEventTypes(orgHttp);
      expect(listed.data).toHaveLength(45);
      expect(listed.exchange.request.url).toBe(`${org.url}/v2/organizations/${ORG_ID}/teams/${org.teamId}/event-types`);
      const [row] = await callRows(db, companyId);
      expect(row).toMatchObject({
        family: "eventTypes",
        pathTemplate: "/v2/organizations/{orgId}/teams/{teamId}/event-types",
        status: 200,
      });
    } finally {
      await org.close();
    }
  });

  it("getEventType reads one team event type", async () => {
    const { http } = await createTestCompany(db, { fx });
    const et = await getEventType(http, fx.et(HERREN));
    expect(et.data).toMatchObject({
      id: fx.et(HERREN),
      slug: "herrenhaarschnitt",
      lengthInMinutes: 30,
      teamId: fx.teamId,
    });
  });

  it("getSlots sends UTC start/end with format=range and gets days keyed in the requested zone", async () => {
    const { http } = await createTestCompany(db, { fx });
    const slots = await getSlots(http, {
      eventTypeId: fx.et(HERREN),
      start: new Date("2050-09-05T00:00:00Z"),
      end: new Date("2050-09-05T23:59:59Z"),
      timeZone: "Asia/Tokyo",
    });
    const sent = Object.fromEntries(new URL(slots.exchange.request.url).searchParams);
    expect(sent).toEqual({
      eventTypeId: String(fx.et(HERREN)),
      start: "2050-09-05T00:00:00.000Z",
      end: "2050-09-05T23:59:59.000Z",
      timeZone: "Asia/Tokyo",
      format: "range",
    });
    // Berlin 09:00–17:30 (+02:00) is 16:00–00:30 in Tokyo: the last two starts fall on the next Tokyo day.
    expect(Object.keys(slots.data)).toEqual(["2050-09-05", "2050-09-06"]);
    expect(slots.data["2050-09-05"]?.[0]).toEqual({
      start: "2050-09-05T16:00:00.000+09:00",
      end: "2050-09-05T16:30:00.000+09:00",
    });
    expect(slots.data["2050-09-06"]?.map((s) => s.start)).toEqual([
      "2050-09-06T00:00:00.000+09:00",
      "2050-09-06T00:30:00.000+09:00",
    ]);
  });

  it("creates (201), reads, lists, cancels and reschedules bookings by uid", async () => {
    const { http } = await createTestCompany(db, { fx });
    const day = "2050-11-09";
    const created = await createBooking(http, {
      eventTypeId: fx.et(HERREN),
      start: at(day, "09:00"),
      attendee: attendee("Endpoint Erster"),
      metadata: { source: "client-it" },
    });
    expect(created.exchange.response?.status).toBe(201);
    expect(created.data).toMatchObject({
      id: expect.any(Number),
      uid: expect.stringMatching(/^\w{10,}$/),
      status: "accepted",
      start: berlin(day, "09:00"),
      eventTypeId: fx.et(HERREN),
      metadata: { source: "client-it" },
    });
    expect((await getBooking(http, created.data.uid)).data).toMatchObject({
      id: created.data.id,
      uid: created.data.uid,
    });
    const second = await createBooking(http, {
      eventTypeId: fx.et(HERREN),
      start: at(day, "10:00"),
      attendee: attendee("Endpoint Zweiter"),
    });

    const range = {
      eventTypeIds: [fx.et(HERREN)],
      afterStart: at(day, "00:00"),
      beforeEnd: at(day, "23:00"),
      sortStart: "asc" as const,
    };
    const page = await listBookings(http, { ...range, take: 1, skip: 1 });
    expect(page.data.map((b) => b.uid)).toEqual([second.data.uid]);
    expect(page.pagination).toMatchObject({
      totalItems: 2,
      itemsPerPage: 1,
      currentPage: 2,
      totalPages: 2,
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(Object.fromEntries(new URL(page.exchange.request.url).searchParams)).toEqual({
      eventTypeIds: String(fx.et(HERREN)),
      afterStart: berlin(day, "00:00"),
      beforeEnd: berlin(day, "23:00"),
      sortStart: "asc",
      take: "1",
      skip: "1",
    });
    const byEmail = await listBookings(http, { ...range, attendeeEmail: "endpoint.erster@example.com" });
    expect(byEmail.data.map((b) => b.uid)).toEqual([created.data.uid]);

    const cancelled = await cancelBooking(http, created.data.uid, { cancellationReason: "krank" });
    expect(cancelled.exchange.response?.status).toBe(200);
    expect(cancelled.data).toMatchObject({ uid: created.data.uid, status: "cancelled", cancellationReason: "krank" });

    const moved = await rescheduleBooking(http, second.data.uid, {
      start: at(day, "11:00"),
      reschedulingReason: "später",
    });
    expect(moved.exchange.response?.status).toBe(201);
    expect(moved.data.uid).not.toBe(second.data.uid);
    expect(moved.data).toMatchObject({
      start: berlin(day, "11:00"),
      rescheduledFromUid: second.data.uid,
      status: "accepted",
    });
    expect((await getBooking(http, second.data.uid)).data).toMatchObject({
      status: "cancelled",
      rescheduledToUid: moved.data.uid,
    });
  });

  it("refuses numeric booking ids locally (AppError BAD_REQUEST), before anything reaches Cal.com", async () => {
    const { http, companyId } = await createTestCompany(db, { fx });
    const before = await upstreamCount(db);
    const refusals = [
      await thrown(() => getBooking(http, "12850001")),
      await thrown(() => cancelBooking(http, "12850001", { cancellationReason: "x" })),
      await thrown(() => rescheduleBooking(http, "12850001", { start: at("2050-11-09", "12:00") })),
    ];
    for (const error of refusals) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("uid") });
    }
    expect(await upstreamCount(db)).toBe(before);
    expect(await callRows(db, companyId)).toEqual([]);
  });

  it("enforces take ≤ 250 with zod before sending", async () => {
    const { http } = await createTestCompany(db, { fx });
    const before = await upstreamCount(db, "bookings");
    expect(await thrown(() => listBookings(http, { take: 251 }))).toBeInstanceOf(ZodError);
    expect(await thrown(() => listBookings(http, { skip: -1 }))).toBeInstanceOf(ZodError);
    expect(await upstreamCount(db, "bookings")).toBe(before);
    const max = await listBookings(http, { take: 250, eventTypeIds: [fx.et(HERREN)] });
    expect(new URL(max.exchange.request.url).searchParams.get("take")).toBe("250");
    expect(await upstreamCount(db, "bookings")).toBe(before + 1);
  });
});

describe("on the wire", () => {
  it("sends cal-api-version per family and the bearer key; a company override changes only bookings", async () => {
    const proxy = await startRecordingProxy(fx.url);
    try {
      // The base URL may carry /v2: the client strips it and appends /v2/... itself.
      const { http, apiKey } = await createTestCompany(db, { fx, url: `${proxy.url}/v2/` });
      const day = "2050-11-10";
      const window = {
        eventTypeId: fx.et(HERREN),
        start: at(day, "00:00"),
        end: at(day, "23:00"),
        timeZone: "Europe/Berlin",
      };
      await getMe(http);
      await listTeamEventTypes(http);
      await getEventType(http, fx.et(HERREN));
      await getSlots(http, window);
      const booking = await createBooking(http, {
        eventTypeId: fx.et(HERREN),
        start: at(day, "09:00"),
        attendee: attendee("Wire Default"),
      });
      await getBooking(http, booking.data.uid);
      await listBookings(http, { take: 5 });
      await cancelBooking(http, booking.data.uid);
      const uid = booking.data.uid;
      const seen = proxy.requests.map((r) => [r.method, r.path, r.headers["cal-api-version"]]);
      expect(seen).toEqual([
        ["GET", "/v2/me", "2024-08-13"],
        ["GET", `/v2/teams/${fx.teamId}/event-types`, "2024-06-14"],
        ["GET", `/v2/event-types/${fx.et(HERREN)}`, "2024-06-14"],
        ["GET", "/v2/slots", "2024-09-04"],
        ["POST", "/v2/bookings", "2024-08-13"],
        ["GET", `/v2/bookings/${uid}`, "2024-08-13"],
        ["GET", "/v2/bookings", "2024-08-13"],
        ["POST", `/v2/bookings/${uid}/cancel`, "2024-08-13"],
      ]);
      for (const r of proxy.requests) expect(r.headers.authorization).toBe(`Bearer ${apiKey}`);
      expect(proxy.requests[4]?.headers["content-type"]).toBe("application/json");

      const override = await createTestCompany(db, { fx, url: proxy.url, apiVersions: { bookings: "2026-02-25" } });
      proxy.requests.length = 0;
      await getEventType(override.http, fx.et(HERREN));
      await getSlots(override.http, window);
      const overridden = await createBooking(override.http, {
        eventTypeId: fx.et(HERREN),
        start: at(day, "10:00"),
        attendee: attendee("Wire Override"),
      });
      await getBooking(override.http, overridden.data.uid);
      expect(overridden.exchange.request.headers["cal-api-version"]).toBe("2026-02-25");
      expect(
        proxy.requests.map((r) => [r.path.replace(overridden.data.uid, "{uid}"), r.headers["cal-api-version"]]),
      ).toEqual([
        [`/v2/event-types/${fx.et(HERREN)}`, "2024-06-14"],
        ["/v2/slots", "2024-09-04"],
        ["/v2/bookings", "2026-02-25"],
        ["/v2/bookings/{uid}", "2026-02-25"],
      ]);
    } finally {
      await proxy.close();
    }
  });
});
