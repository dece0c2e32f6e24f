import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { circuitBreakers, circuitEvents } from "@/drizzle/schema/calcom";
import { MSG } from "@/lib/calcom-sandbox/constants";
import { resetSandboxFaults, setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { berlin, withSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { breakerRow, callRows, createTestCompany, thrown, upstreamCount } from "./client-test-helpers";
import { createBooking, getBooking, getEventType, getMe, listTeamEventTypes } from "./endpoints";
import { CalcomError } from "./errors";
import { meSchema } from "./schemas";

// How Cal.com failures reach callers (CalcomError with its CAL code), which calls are retried, and the breaker.
let db: Db;
let fx: SandboxFixture;
const HERREN = 3757770; // round robin over three hairdressers

const attendee = (name: string) => ({
  name,
  email: `${name.replace(/\s/g, ".").toLowerCase()}@example.com`,
  timeZone: "Europe/Berlin",
});
const booking = (name: string, date = "2050-11-14", time = "09:00") => ({
  eventTypeId: fx.et(HERREN),
  start: new Date(berlin(date, time)),
  attendee: attendee(name),
});

async function calcomError(fn: () => unknown): Promise<CalcomError> {
  const error = await thrown(fn);
  expect(error).toBeInstanceOf(CalcomError);
  return error as CalcomError;
}

withSandboxFixture((d, f) => {
  db = d;
  fx = f;
});

describe("error classes", () => {
  it("a revoked key is CAL-001 (401), not a breaker failure", async () => {
    const { http } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { revokedKeys: true });
    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-001",
      status: 401,
      isBreakerFailure: false,
      message: MSG.invalidKey,
      family: "me",
    });
  });

  it("an unknown event type is CAL-002 and an unknown booking uid CAL-011 (404s)", async () => {
    const { http } = await createTestCompany(db, { fx });
    expect(await calcomError(() => getEventType(http, 424242))).toMatchObject({
      calCode: "CAL-002",
      status: 404,
      isBreakerFailure: false,
      message: "Event type with id 424242 not found.",
    });
    expect(await calcomError(() => getBooking(http, "doesNotExistUid"))).toMatchObject({
      calCode: "CAL-011",
      status: 404,
      isBreakerFailure: false,
      path: "/v2/bookings/{uid}",
    });
  });

  it("a taken slot is a plain 400 the client does not guess at (CAL-014; the booking flow asks /v2/slots)", async () => {
    const { http } = await createTestCompany(db, { fx });
    // Round robin: the start stays bookable until each of the three hosts has a booking there.
    for (const name of ["Voll Eins", "Voll Zwei", "Voll Drei"]) await createBooking(http, booking(name, "2050-11-15"));
    expect(await calcomError(() => createBooking(http, booking("Voll Vier", "2050-11-15")))).toMatchObject({
      calCode: "CAL-014",
      status: 400,
      isBreakerFailure: false,
      message: MSG.takenTeam,
    });
  });

  it("forced 500 (bare NestJS body and the envelope variant) and 503 are CAL-012 breaker failures", async () => {
    const { http } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { families: { me: { forceStatus: 500, errorShape: "bare" } } });
    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-012",
      status: 500,
      isBreakerFailure: true,
      message: "Internal server error",
      details: { statusCode: 500, message: "Internal server error" },
    });
    // Full settings each time: setSandboxFaults resets the fields a patch leaves out (zod 4 fills defaults in .partial()).
    await setSandboxFaults(db, { families: { me: { forceStatus: 500, errorShape: "envelope" } } });
    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-012",
      status: 500,
      isBreakerFailure: true,
      message: MSG.internalEnvelope,
    });
    await setSandboxFaults(db, { families: { me: { forceStatus: 503 } } });
    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-012",
      status: 503,
      isBreakerFailure: true,
      message: "Service Unavailable",
    });
  }, 20_000);

  it("a hang longer than the request's timeoutMs is a CAL-012 timeout", async () => {
    const { http, companyId } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { families: { me: { timeoutMs: 20_000 } } });
    const started = Date.now();
    const error = await calcomError(() =>
      http.request({ family: "me", method: "GET", pathTemplate: "/v2/me", schema: meSchema, timeoutMs: 250 }),
    );
    expect(error).toMatchObject({
      calCode: "CAL-012",
      status: null,
      isBreakerFailure: true,
      details: { isTimeout: true },
      message: "No answer within 250 ms",
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await callRows(db, companyId)).toEqual([
      expect.objectContaining({ status: null, calCode: "CAL-012", attempts: 3 }),
    ]);
  }, 20_000);

  it("a company without a team id is refused locally with AppError (CAL-006)", async () => {
    const { http } = await createTestCompany(db, { fx, teamId: null });
    const before = await upstreamCount(db);
    const error = await thrown(() => listTeamEventTypes(http));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("CAL-006") });
    expect(await upstreamCount(db)).toBe(before);
  });
});

describe("retries", () => {
  it("retries a GET after a 503 and succeeds on the second attempt", async () => {
    const { http, companyId } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { families: { me: { forceStatus: 503, forceCount: 1 } } });
    const before = await upstreamCount(db, "me");
    const me = await getMe(http);
    expect(me.exchange).toMatchObject({ attempts: 2, response: { status: 200 } });
    expect(await upstreamCount(db, "me")).toBe(before + 2);
    expect(await callRows(db, companyId)).toEqual([
      expect.objectContaining({ status: 200, attempts: 2, calCode: null }),
    ]);
    expect(await breakerRow(db, companyId)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  it("never repeats a booking POST after a 503", async () => {
    const { http, companyId } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503, forceCount: 1 } } });
    const before = await upstreamCount(db, "bookings");
    expect(await calcomError(() => createBooking(http, booking("Kein Retry")))).toMatchObject({
      calCode: "CAL-012",
      status: 503,
      isBreakerFailure: true,
    });
    expect(await upstreamCount(db, "bookings")).toBe(before + 1);
    expect(await callRows(db, companyId)).toEqual([
      expect.objectContaining({ method: "POST", status: 503, attempts: 1, calCode: "CAL-012" }),
    ]);
  });
});

describe("circuit breaker", () => {
  it("opens after five failures, refuses the sixth locally, ignores 4xx and closes after a successful trial", async () => {
    const { http, companyId } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503 } } });
    const book = () => createBooking(http, booking("Breaker Test", "2050-11-16"));
    for (let i = 0; i < 4; i++) expect((await calcomError(book)).calCode).toBe("CAL-012");
    expect(await breakerRow(db, companyId)).toMatchObject({ state: "closed", consecutiveFailures: 4 });
    // A 4xx proves Cal.com is up: it neither counts nor resets the count.
    expect((await calcomError(() => getEventType(http, 424242))).calCode).toBe("CAL-002");
    expect(await breakerRow(db, companyId)).toMatchObject({ state: "closed", consecutiveFailures: 4 });
    await calcomError(book);
    expect(await breakerRow(db, companyId)).toMatchObject({
      state: "open",
      consecutiveFailures: 5,
      lastFailureCode: "CAL-012",
      lastFailureStatus: 503,
    });
    const events = () =>
      db.select().from(circuitEvents).where(eq(circuitEvents.companyId, companyId)).orderBy(circuitEvents.id);
    expect(await events()).toEqual([
      expect.objectContaining({
        fromState: "closed",
        toState: "open",
        reason: expect.stringContaining("5 consecutive failures; last CAL-012 503"),
      }),
    ]);

    const before = await upstreamCount(db);
    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-013",
      status: null,
      isBreakerFailure: false,
    });
    expect(await upstreamCount(db)).toBe(before);
    expect((await callRows(db, companyId)).at(-1)).toMatchObject({
      family: "me",
      calCode: "CAL-013",
      breakerState: "open",
      status: null,
    });

    // The open period is over: the next call is a trial, and its success closes the circuit.
    await resetSandboxFaults(db);
    await db
      .update(circuitBreakers)
      .set({ openUntil: new Date(Date.now() - 1_000) })
      .where(eq(circuitBreakers.companyId, companyId));
    expect((await getMe(http)).data.id).toBeGreaterThan(0);
    expect(await breakerRow(db, companyId)).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
      halfOpenInFlight: 0,
    });
    expect((await callRows(db, companyId)).at(-1)).toMatchObject({
      family: "me",
      status: 200,
      breakerState: "half_open",
    });
    expect((await events()).map((e) => `${e.fromState}>${e.toState}`)).toEqual([
      "closed>open",
      "open>half_open",
      "half_open>closed",
    ]);
  });
});
