import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTestDb } from "@/test/db";
import { MSG } from "./constants";
import { seedSandbox } from "./seed";
import { berlin, createSandboxFixture, type SandboxFixture } from "./test-fixtures";

// POST/GET/list/cancel/reschedule/confirm of /v2/bookings (2024-08-13), over real HTTP.
let fx: SandboxFixture;
let praxis: SandboxFixture;
const HERREN = 3757770;
const V = "2024-08-13";

type Booking = Record<string, unknown> & { id: number; uid: string; status: string; start: string };
type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

beforeAll(async () => {
  const db = await getTestDb();
  fx = await createSandboxFixture(db);
  praxis = await createSandboxFixture(db, { slug: "praxis-am-markt" });
});
afterAll(async () => {
  await fx?.close();
  await praxis?.close();
});

const attendee = (name = "Maria Weber", extra: Record<string, unknown> = {}) => ({
  name,
  email: `${name.replace(/\s/g, ".").toLowerCase()}@example.com`,
  timeZone: "Europe/Berlin",
  ...extra,
});

async function create(body: Record<string, unknown>, f = fx): Promise<Response> {
  return f.call("/v2/bookings", { version: V, body });
}

async function createOk(start: string, name?: string, baseId = HERREN): Promise<Booking> {
  const res = await create({ start, eventTypeId: fx.et(baseId), attendee: attendee(name) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: Booking }).data;
}

async function errorOf(res: Response, status = 400): Promise<ErrorBody["error"]> {
  expect(res.status).toBe(status);
  return ((await res.json()) as ErrorBody).error;
}

describe("POST /v2/bookings", () => {
  it("creates a booking (201) in BookingOutput_2024_08_13 shape", async () => {
    const b = await createOk(berlin("2050-10-03", "09:00"));
    expect(Object.keys(b).slice(0, 6)).toEqual(["id", "uid", "title", "description", "hosts", "status"]);
    expect(b).toMatchObject({
      status: "accepted",
      start: "2050-10-03T07:00:00.000Z",
      end: "2050-10-03T07:30:00.000Z",
      duration: 30,
      eventTypeId: fx.et(HERREN),
      eventType: { id: fx.et(HERREN), slug: "herrenhaarschnitt" },
      location: "Friseur",
      attendees: [
        {
          name: "Maria Weber",
          email: "maria.weber@example.com",
          timeZone: "Europe/Berlin",
          language: "en",
          absent: false,
        },
      ],
      isPlatformManagedUserBooking: false,
    });
    expect(b.uid).toMatch(/^[1-9a-km-zA-HJ-NP-Z]{22}$/);
    expect(b.id).toBeGreaterThanOrEqual(12_850_000);
    expect((b.hosts as { id: number }[])[0]?.id).toBe(fx.tenant.staff[0]?.calcomUserId);
    expect(b.title).toBe(`Herrenhaarschnitt between ${fx.tenant.staff[0]?.name} and Maria Weber`);
  });

  it("validates the body like the 2024-08-13 pipe", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { start: berlin("2050-10-03", "10:00"), eventTypeId: fx.et(HERREN), attendee: attendee(), foo: 1 },
        "property foo should not exist",
      ],
      [
        { start: "tomorrow", eventTypeId: fx.et(HERREN), attendee: attendee() },
        "start must be a valid ISO 8601 date string",
      ],
      [
        {
          start: berlin("2050-10-03", "10:00"),
          eventTypeId: fx.et(HERREN),
          attendee: { name: "X", timeZone: "Europe/Berlin" },
        },
        MSG.contact,
      ],
      [
        {
          start: berlin("2050-10-03", "10:00"),
          eventTypeId: fx.et(HERREN),
          attendee: { name: "X", email: "x@example.com" },
        },
        "timeZone must be a valid IANA time-zone",
      ],
      [
        {
          start: berlin("2050-10-03", "10:00"),
          eventTypeId: fx.et(HERREN),
          attendee: attendee("X", { phoneNumber: "0171 123" }),
        },
        "phoneNumber property is wrong,Invalid phone number format. Please use international format.",
      ],
      // §8.1: E.164-shaped but refused by libphonenumber-js (+49 followed by 0), and class-validator's isEmail.
      [
        {
          start: berlin("2050-10-03", "10:00"),
          eventTypeId: fx.et(HERREN),
          attendee: attendee("X", { phoneNumber: "+4901512345678" }),
        },
        "attendee property is wrong, phoneNumber property is wrong,Invalid phone number format. Please use international format. ",
      ],
      [
        {
          start: berlin("2050-10-03", "10:00"),
          eventTypeId: fx.et(HERREN),
          attendee: attendee("X", { email: "x@localhost" }),
        },
        "email property is wrong,Invalid email format",
      ],
      [{ start: berlin("2050-10-03", "10:00"), attendee: attendee() }, MSG.eventLookup],
      [
        {
          start: berlin("2050-10-03", "10:00"),
          eventTypeId: fx.et(HERREN),
          attendee: attendee(),
          metadata: { k: "x".repeat(501) },
        },
        MSG.metadata,
      ],
    ];
    for (const [body, text] of cases) {
      const error = await errorOf(await create(body));
      expect(error.code).toBe("BadRequestException");
      expect(error.message).toContain(text);
      // §2: the version-specific pipe answers a plain string: details carry no errors[].
      expect(error.details).toEqual({ message: error.message, error: "Bad Request", statusCode: 400 });
    }
    const length = await errorOf(
      await create({
        start: berlin("2050-10-03", "10:00"),
        eventTypeId: fx.et(HERREN),
        attendee: attendee(),
        lengthInMinutes: 60,
      }),
    );
    expect(length.message).toBe(MSG.singleLength);
    const unknown = await errorOf(
      await create({ start: berlin("2050-10-03", "10:00"), eventTypeId: 42, attendee: attendee() }),
      404,
    );
    expect(unknown.message).toBe("Event type with id 42 not found.");
  });

  it("books by team slug with metadata and a phone number; a phone-only attendee still needs the required email field", async () => {
    const res = await create({
      start: berlin("2050-10-03", "11:00"),
      eventTypeSlug: "herrenhaarschnitt",
      teamSlug: fx.tenant.teamSlug,
      attendee: attendee("Mit Telefon", { phoneNumber: "+4917612345678" }),
      metadata: { source: "phone-agent", attempt: 2 },
    });
    expect(res.status).toBe(201);
    const b = ((await res.json()) as { data: Booking }).data;
    expect(b.metadata).toEqual({ source: "phone-agent", attempt: 2 });
    expect((b.attendees as { phoneNumber?: string }[])[0]?.phoneNumber).toBe("+4917612345678");
    // The DTO accepts email-or-phone, but the event type's email field is required (cal.com#23554).
    const phoneOnly = await create({
      start: berlin("2050-10-03", "11:30"),
      eventTypeId: fx.et(HERREN),
      attendee: { name: "Nur Telefon", phoneNumber: "+4917612345678", timeZone: "Europe/Berlin" },
    });
    expect((await errorOf(phoneOnly)).message).toBe("invalid_type in 'responses,email': Required");
    const wrongTeam = await create({
      start: berlin("2050-10-03", "11:30"),
      eventTypeSlug: "herrenhaarschnitt",
      teamSlug: "nope",
      attendee: attendee(),
    });
    expect((await errorOf(wrongTeam, 404)).message).toBe(
      "Event type with slug herrenhaarschnitt belonging to team nope not found.",
    );
  });

  it("rejects past, too-soon and out-of-window starts", async () => {
    const past = await errorOf(
      await create({
        start: new Date(Date.now() - 86_400_000).toISOString(),
        eventTypeId: fx.et(HERREN),
        attendee: attendee(),
      }),
    );
    expect(past.message).toBe(MSG.past);
    const soon = new Date(Date.now() + 60 * 60_000);
    soon.setUTCSeconds(0, 0);
    const notice = await errorOf(
      await create({ start: soon.toISOString(), eventTypeId: fx.et(3757763), attendee: attendee() }),
    );
    expect(notice.message).toBe(MSG.outOfBounds);
    const window = await errorOf(
      await create({ start: berlin("2050-10-03", "09:00"), eventTypeId: fx.et(3757765), attendee: attendee() }),
    );
    expect(window.message).toBe(MSG.outOfBounds);
    const closed = await errorOf(
      await create({ start: berlin("2050-10-02", "10:00"), eventTypeId: fx.et(HERREN), attendee: attendee() }),
    ); // Sunday
    expect(closed.message).toBe(MSG.takenTeam);
  });

  it("enforces required booking fields (the practice requires a phone number)", async () => {
    const start = berlin("2050-10-04", "09:00");
    const missing = await errorOf(
      await create({ start, eventTypeId: praxis.et(2563193), attendee: attendee() }, praxis),
    );
    expect(missing.message).toBe("invalid_type in 'responses,attendeePhoneNumber': Required");
    const ok = await create(
      { start, eventTypeId: praxis.et(2563193), attendee: attendee("Hans Schuster", { phoneNumber: "+4930123456" }) },
      praxis,
    );
    expect(ok.status).toBe(201);
  });
});

describe("GET /v2/bookings/{uid} and the list", () => {
  it("gets one booking or 404 with the database text", async () => {
    const b = await createOk(berlin("2050-10-05", "09:00"), "Get Test");
    const res = await fx.call(`/v2/bookings/${b.uid}`, { version: V, key: null });
    expect(((await res.json()) as { data: Booking }).data).toMatchObject({ uid: b.uid, id: b.id });
    expect((await errorOf(await fx.call("/v2/bookings/doesNotExist", { version: V }), 404)).message).toBe(
      "Booking with uid=doesNotExist was not found in the database",
    );
  });

  it("filters, sorts and paginates", async () => {
    const day = "2050-10-06";
    const a = await createOk(berlin(day, "09:00"), "Liste Alpha");
    const b = await createOk(berlin(day, "10:00"), "Liste Beta");
    const c = await createOk(berlin(day, "11:00"), "Liste Gamma", 3757757);
    const range = `afterStart=${berlin(day, "00:00")}&beforeEnd=${berlin(day, "23:00")}`;
    const list = async (q: string) =>
      (await (await fx.call(`/v2/bookings?${range}&${q}`, { version: V })).json()) as {
        data: Booking[];
        pagination: Record<string, unknown>;
      };
    expect((await list("")).data.map((x) => x.uid)).toEqual([a.uid, b.uid, c.uid]);
    expect((await list("sortStart=desc")).data.map((x) => x.uid)).toEqual([c.uid, b.uid, a.uid]);
    expect((await list(`eventTypeId=${fx.et(3757757)}`)).data.map((x) => x.uid)).toEqual([c.uid]);
    expect((await list(`eventTypeIds=${fx.et(HERREN)},${fx.et(3757757)}`)).data).toHaveLength(3);
    expect((await list("attendeeEmail=liste.beta@example.com")).data.map((x) => x.uid)).toEqual([b.uid]);
    expect((await list(`bookingUid=${a.uid}`)).data.map((x) => x.uid)).toEqual([a.uid]);
    expect((await list(`teamsIds=${fx.teamId}`)).data).toHaveLength(3);
    expect((await list("teamsIds=1")).data).toHaveLength(0);
    expect((await list("teamIds=1&unknownParam=x")).data).toHaveLength(3); // unknown params are dropped
    const page = await list("take=1&skip=1");
    expect(page.data.map((x) => x.uid)).toEqual([b.uid]);
    expect(page.pagination).toMatchObject({
      totalItems: 3,
      currentPage: 2,
      totalPages: 3,
      hasNextPage: true,
      hasPreviousPage: true,
      itemsPerPage: 1,
      returnedItems: 1,
    });
    const tooMany = await errorOf(await fx.call("/v2/bookings?take=251", { version: V }));
    expect(tooMany.message).toBe("Bad Request Exception");
    expect(tooMany.details.errors).toEqual([
      { property: "take", children: [], constraints: { max: "take must not be greater than 250" } },
    ]);
    const badStatus = await errorOf(await fx.call("/v2/bookings?status=done", { version: V }));
    expect(JSON.stringify(badStatus.details)).toContain(MSG.invalidStatus);
  });
});

describe("cancel and reschedule", () => {
  it("cancels by uid; a numeric id is 404 (400 on the legacy controller); twice is 400", async () => {
    const b = await createOk(berlin("2050-10-07", "09:00"), "Storno Test");
    const res = await fx.call(`/v2/bookings/${b.uid}/cancel`, {
      version: V,
      key: null,
      body: { cancellationReason: "krank" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Booking }).data).toMatchObject({
      uid: b.uid,
      status: "cancelled",
      cancellationReason: "krank",
    });
    expect((await errorOf(await fx.call(`/v2/bookings/${b.uid}/cancel`, { version: V, body: {} }))).message).toContain(
      "has been cancelled already",
    );
    expect((await errorOf(await fx.call(`/v2/bookings/${b.id}/cancel`, { version: V, body: {} }), 404)).message).toBe(
      `Booking with uid=${b.id} not found`,
    );
    expect((await errorOf(await fx.call(`/v2/bookings/${b.id}/cancel`, { version: null, body: {} }))).message).toBe(
      MSG.legacyUidNotId,
    );
    const cancelled = await fx.call(`/v2/bookings?status=cancelled&bookingUid=${b.uid}`, { version: V });
    expect(((await cancelled.json()) as { data: Booking[] }).data).toHaveLength(1);
  });

  it("refuses to cancel a booking that has ended (bare NestJS body)", async () => {
    const uid = `ended${Date.now()}`.padEnd(22, "x").slice(0, 22);
    await seedSandbox(fx.db, {
      tenants: [],
      bookings: [
        {
          uid,
          eventTypeId: fx.et(HERREN),
          start: new Date(Date.now() - 3 * 3_600_000),
          end: new Date(Date.now() - 2.5 * 3_600_000),
          status: "accepted",
          attendee: { name: "Alt", email: "alt@example.com", timeZone: "Europe/Berlin" },
        },
      ],
    });
    const res = await fx.call(`/v2/bookings/${uid}/cancel`, { version: V, body: {} });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ statusCode: 400, message: MSG.cancelEnded });
  });

  it("reschedules into a new booking and chains the uids", async () => {
    const a = await createOk(berlin("2050-10-10", "09:00"), "Umbuchung");
    const wrongField = await errorOf(
      await fx.call(`/v2/bookings/${a.uid}/reschedule`, {
        version: V,
        body: { start: berlin("2050-10-10", "10:00"), rescheduleReason: "x" },
      }),
    );
    expect(wrongField.message).toContain("property rescheduleReason should not exist");
    const res = await fx.call(`/v2/bookings/${a.uid}/reschedule`, {
      version: V,
      key: null,
      body: { start: berlin("2050-10-10", "10:00"), reschedulingReason: "später" },
    });
    expect(res.status).toBe(201);
    const b = ((await res.json()) as { data: Booking }).data;
    expect(b.uid).not.toBe(a.uid);
    expect(b.id).not.toBe(a.id);
    expect(b).toMatchObject({
      status: "accepted",
      rescheduledFromUid: a.uid,
      reschedulingReason: "später",
      start: new Date(berlin("2050-10-10", "10:00")).toISOString(),
    });
    const old = ((await (await fx.call(`/v2/bookings/${a.uid}`, { version: V })).json()) as { data: Booking }).data;
    expect(old).toMatchObject({ status: "cancelled", rescheduledToUid: b.uid });
    expect(
      (
        await errorOf(
          await fx.call(`/v2/bookings/${a.uid}/reschedule`, {
            version: V,
            body: { start: berlin("2050-10-10", "11:00") },
          }),
        )
      ).message,
    ).toContain(`rescheduled already to booking with uid=${b.uid}`);
    const c = (
      (await (
        await fx.call(`/v2/bookings/${b.uid}/reschedule`, {
          version: V,
          body: { start: berlin("2050-10-10", "11:00") },
        })
      ).json()) as { data: Booking }
    ).data;
    expect(c.rescheduledFromUid).toBe(b.uid);
    const missing = await errorOf(
      await fx.call("/v2/bookings/nope/reschedule", { version: V, body: { start: berlin("2050-10-10", "12:00") } }),
      404,
    );
    expect(missing.message).toBe("Booking with uid=nope was not found in the database");
  });

  it("creates pending bookings for requires-confirmation event types; the organizer confirms", async () => {
    const start = berlin("2050-10-11", "09:00");
    const res = await create(
      { start, eventTypeId: praxis.et(2563194), attendee: attendee("Neu Patient", { phoneNumber: "+4930999999" }) },
      praxis,
    );
    const b = ((await res.json()) as { data: Booking }).data;
    expect(b.status).toBe("pending");
    const unconfirmed = await praxis.call(`/v2/bookings?status=unconfirmed`, { version: V });
    expect(((await unconfirmed.json()) as { data: Booking[] }).data.map((x) => x.uid)).toContain(b.uid);
    const confirmed = await praxis.call(`/v2/bookings/${b.uid}/confirm`, { version: V, body: {} });
    expect(((await confirmed.json()) as { data: Booking }).data.status).toBe("accepted");
    expect((await praxis.call(`/v2/bookings/${b.uid}/confirm`, { version: V, key: null, body: {} })).status).toBe(401);
  });
});
