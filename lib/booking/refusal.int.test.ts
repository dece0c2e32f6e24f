import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { companies } from "@/drizzle/schema/core";
import { sandboxApiKeys, sandboxMemberships, sandboxUsers } from "@/drizzle/schema/sandbox";
import { POST as phoneBook } from "@/app/api/calcom/bookings/route";
import { hashApiKey } from "@/lib/calcom-sandbox/auth";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { REAL_CALCOM_FIDELITY, setSandboxFidelity } from "@/lib/calcom-sandbox/fidelity";
import { seedFidelityEventTypes } from "@/lib/calcom-sandbox/seed-fidelity";
import { readRequestCounts } from "@/lib/calcom-sandbox/settings";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getBooking, getEventType, listTeamEventTypes } from "@/lib/calcom/endpoints";
import { thrown } from "@/lib/calcom/client-test-helpers";
import { resetEnvCache } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { debugSlots } from "@/lib/slots/debugger";
import { getTestDb } from "@/test/db";
import { bookAppointment } from "./book";
import { createBookingCompany, futureWeekday } from "./test-helpers";

// Contract §2 / §8.1 and §8.6 / §8.7 against the sandbox over HTTP: a 400 from POST /v2/bookings is classified by
// asking GET /v2/slots, never by its wording; refusals of the caller's data are 422s naming the field.
const HERREN = 3757770;
const REFUSED_PHONE = "+4901512345678"; // E.164-shaped, refused by libphonenumber-js (+49 followed by 0)
const TOKEN = `ops-token-${randomBytes(16).toString("hex")}`;
let db: Db;
let fx: SandboxFixture;

type ProxyState = { rewritePhone: string | null; beforeBooking: (() => Promise<void>) | null };

/** A proxy in front of the sandbox that can rewrite a booking body or act just before forwarding it. */
async function startBookingProxy(
  target: string,
): Promise<{ url: string; state: ProxyState; close: () => Promise<void> }> {
  const state: ProxyState = { rewritePhone: null, beforeBooking: null };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = chunks.length ? Buffer.concat(chunks).toString("utf8") : undefined;
    const isBooking = req.method === "POST" && (req.url ?? "").split("?")[0] === "/v2/bookings";
    if (isBooking && body && state.rewritePhone) {
      const json = JSON.parse(body) as { attendee: Record<string, unknown> };
      json.attendee.phoneNumber = state.rewritePhone;
      body = JSON.stringify(json);
    }
    if (isBooking && state.beforeBooking) await state.beforeBooking();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
    const answer = await fetch(target + (req.url ?? "/"), { method: req.method, headers, body });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

beforeAll(async () => {
  db = await getTestDb();
  process.env.OPS_API_TOKEN = TOKEN;
  resetEnvCache();
  fx = await createSandboxFixture(db);
  // Every flow here runs against the sandbox in its real-Cal.com settings (docs/calcom-fidelity.md).
  await setSandboxFidelity(db, REAL_CALCOM_FIDELITY, { replace: true });
});
afterEach(async () => {
  await resetSandbox(db);
  await setSandboxFidelity(db, REAL_CALCOM_FIDELITY, { replace: true });
});
afterAll(async () => {
  await setSandboxFidelity(db, {}, { replace: true });
  await fx?.close();
});

const phoneRequest = (body: Record<string, unknown>) =>
  new NextRequest("http://127.0.0.1/api/calcom/bookings", {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("the phone platform's booking route (§8.1)", () => {
  it("answers 422 naming attendee.phone for a number Cal.com refuses, without calling Cal.com; the time stays bookable", async () => {
    const { company } = await createBookingCompany(db, fx);
    const start = futureWeekday(30, "10:00").toISOString();
    const before = (await readRequestCounts(db)).bookings ?? 0;
    const refused = await phoneBook(
      phoneRequest({
        companyId: company.id,
        service: "Herrenhaarschnitt",
        start,
        attendee: { name: "Falsche Nummer", email: "falsch@example.com", phone: REFUSED_PHONE },
        idempotencyKey: "phone-route-refused-1",
      }),
      { params: Promise.resolve({}) },
    );
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: Record<string, unknown> };
    };
    expect(body.error).toMatchObject({
      code: "UNPROCESSABLE",
      details: {
        reason: "calcom_refused_input",
        field: "attendee.phone",
        askAgain: "their phone number",
        calcomMessage: `Invalid phone number format. Please use international format. (${REFUSED_PHONE})`,
      },
    });
    expect(body.error.message).toBe(
      `Cal.com would refuse this phone number (attendee.phone): Invalid phone number format. Please use international format. (${REFUSED_PHONE}) Ask the caller for their phone number again.`,
    );
    expect((await readRequestCounts(db)).bookings ?? 0).toBe(before);

    const booked = await phoneBook(
      phoneRequest({
        companyId: company.id,
        service: "Herrenhaarschnitt",
        start,
        attendee: { name: "Richtige Nummer", email: "richtig@example.com", phone: "+4915112345678" },
        idempotencyKey: "phone-route-refused-1",
      }),
      { params: Promise.resolve({}) },
    );
    expect(booked.status).toBe(201);
    expect(await booked.json()).toMatchObject({
      outcome: "booked",
      appointment: { startsAt: start, attendee: { phone: "+4915112345678" } },
    });
  });
});

describe("a 400 from POST /v2/bookings (§2: a plain string, no details.errors[])", () => {
  it("is a refusal (422 with Cal.com's message and the field) when the time is still offered; claim released, key free", async () => {
    const proxy = await startBookingProxy(fx.url);
    try {
      const { company } = await createBookingCompany(db, fx, fx.apiKey, { url: proxy.url });
      const start = futureWeekday(31, "11:00").toISOString();
      const request = {
        companyId: company.id,
        service: "Herrenhaarschnitt",
        start,
        attendee: { name: "Strenger", email: "streng@example.com", phone: "+4915112345678", timeZone: "Europe/Berlin" },
        idempotencyKey: "refusal-after-call-1",
      };
      // A Cal.com whose rule is stricter than the app's check: the number is refused only over there.
      proxy.state.rewritePhone = REFUSED_PHONE;
      const error = await thrown(() => bookAppointment(db, request));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(422);
      expect((error as AppError).details).toMatchObject({
        reason: "calcom_refused_input",
        field: "attendee.phone",
        calcomMessage:
          "attendee property is wrong, phoneNumber property is wrong,Invalid phone number format. Please use international format.",
      });
      proxy.state.rewritePhone = null;
      const again = await bookAppointment(db, request);
      expect(again).toMatchObject({ outcome: "booked", isReplay: false, appointment: { startsAt: start } });
    } finally {
      await proxy.close();
    }
  });

  it("is 'taken' (409, CAL-003) only when Cal.com no longer offers the time", async () => {
    const proxy = await startBookingProxy(fx.url);
    try {
      const { company } = await createBookingCompany(db, fx, fx.apiKey, { url: proxy.url });
      const start = futureWeekday(32, "12:00");
      // Between the app's slot check and its POST, every host of the round-robin slot gets booked elsewhere.
      proxy.state.beforeBooking = async () => {
        proxy.state.beforeBooking = null;
        for (const n of [1, 2, 3]) {
          const res = await fx.call("/v2/bookings", {
            version: "2024-08-13",
            body: {
              start: start.toISOString(),
              eventTypeId: fx.et(HERREN),
              attendee: { name: `Schneller ${n}`, email: `schnell${n}@example.com`, timeZone: "Europe/Berlin" },
            },
          });
          expect(res.status).toBe(201);
        }
      };
      const error = await thrown(() =>
        bookAppointment(db, {
          companyId: company.id,
          service: "Herrenhaarschnitt",
          start: start.toISOString(),
          attendee: { name: "Zu Spät", email: "spaet@example.com" },
        }),
      );
      expect((error as AppError).status).toBe(409);
      expect((error as AppError).details).toMatchObject({ reason: "slot_taken" });
      expect((error as AppError).message).toMatch(
        /^Cal\.com refused the time \(CAL-003\): One of the hosts either already has booking at this time or is not available$/,
      );
    } finally {
      await proxy.close();
    }
  });
});

describe("a key that lacks access (§8.6) and the organization route (§8.7)", () => {
  async function memberKey(): Promise<string> {
    const userId = 900_000_000 + Math.floor(Math.random() * 90_000_000);
    await db.insert(sandboxUsers).values({
      id: userId,
      username: `member-${userId}`,
      email: `member-${userId}@example.com`,
      name: "Nur Mitglied",
    });
    await db.insert(sandboxMemberships).values({ teamId: fx.teamId, userId, role: "MEMBER" });
    const key = `cal_${randomBytes(16).toString("hex")}`;
    await db.insert(sandboxApiKeys).values({ keyHash: hashApiKey(key), userId, label: "member", last4: key.slice(-4) });
    return key;
  }

  it("calls a 403 CAL-016, and booking fields and the slot debugger still work with a plain member's key", async () => {
    const { company } = await createBookingCompany(db, fx, await memberKey());
    const http = await createCalcomHttp(db, company.id);
    expect(await thrown(() => getEventType(http, fx.et(HERREN)))).toMatchObject({
      calCode: "CAL-016",
      status: 403,
      hint: expect.stringContaining("use a team admin's key"),
    });
    const booked = await bookAppointment(db, {
      companyId: company.id,
      service: "Herrenhaarschnitt",
      start: futureWeekday(33, "09:00").toISOString(),
      attendee: { name: "Mitglied Kunde", email: "mk@example.com" },
    });
    expect(booked.outcome).toBe("booked");
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(futureWeekday(34, "12:00"));
    const debug = await debugSlots(db, { input: { companyId: company.id, serviceId: booked.service.id, from: day } });
    expect(debug.slots.length).toBeGreaterThan(0);
    expect(debug.context.warnings).toEqual([
      expect.stringMatching(
        /^Schedule: CAL-016 this key lacks access to it \(User with id=\d+ does not own schedule with id=\d+\)\. /,
      ),
    ]);
  });

  it("falls back to the team route when the organization route refuses the admin API (403)", async () => {
    const orgFx = await createSandboxFixture(db, { organizationId: 777_001 });
    try {
      const { company } = await createBookingCompany(db, orgFx);
      await db.update(companies).set({ calcomOrganizationId: 777_001 }).where(eq(companies.id, company.id));
      const direct = await orgFx.call(`/v2/organizations/777001/teams/${orgFx.teamId}/event-types`);
      expect(direct.status).toBe(403);
      const list = await listTeamEventTypes(await createCalcomHttp(db, company.id), { bypassCache: true });
      const teamRoute = (await (await orgFx.call(`/v2/teams/${orgFx.teamId}/event-types`)).json()) as {
        data: unknown[];
      };
      expect(list.data.length).toBe(teamRoute.data.length);
      expect(list.exchange.request.url).toBe(`${orgFx.url}/v2/teams/${orgFx.teamId}/event-types`);
    } finally {
      await orgFx.close();
    }
  });
});

describe("recurring bookings (§8.8)", () => {
  it("getBooking of a series uid still gives one booking: the occurrence with that uid, else the first", async () => {
    const ids = await seedFidelityEventTypes(db, { teamId: fx.teamId });
    const res = await fx.call("/v2/bookings", {
      version: "2024-08-13",
      body: {
        start: futureWeekday(40, "09:00").toISOString(),
        eventTypeId: ids.recurring,
        attendee: { name: "Serie App", email: "serie@example.com", timeZone: "Europe/Berlin" },
        recurrenceCount: 2,
      },
    });
    const series = ((await res.json()) as { data: { uid: string; recurringBookingUid: string }[] }).data;
    const { company } = await createBookingCompany(db, fx);
    const http = await createCalcomHttp(db, company.id);
    expect((await getBooking(http, series[0]!.recurringBookingUid)).data.uid).toBe(series[0]!.uid);
    expect((await getBooking(http, series[1]!.uid)).data.uid).toBe(series[1]!.uid);
  });
});
