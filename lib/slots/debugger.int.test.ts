import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/drizzle/schema/core";
import { createCalcomHttp } from "@/lib/calcom/client";
import { createTestCompany } from "@/lib/calcom/client-test-helpers";
import { createBooking } from "@/lib/calcom/endpoints";
import { forceOpenCircuit } from "@/lib/calcom/breaker";
import { berlin, createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { zonedDateKey } from "@/lib/time/zoned";
import { getTestDb } from "@/test/db";
import { debugAvailability, debugSlots } from "./debugger";
import { listSlotQueries } from "./recent-queries";
import { formatDebugReport } from "./report";
import { addDaysToKey, weekdayOfDateKey } from "./schedule";

// The slot debugger against the sandbox over HTTP: slots in local time and UTC, the exact request, and reasons.
let db: Db;
let fx: SandboxFixture;
let companyId: number;
let herrenService: number;
let colorService: number;
const HERREN = 3757770; // 30 min, round robin over three hairdressers, no buffers
const COLOR = 3757763; // Komplettfärbung: 90 min, 10 min before / 15 min after, 120 min notice
const actor = { kind: "system", label: "slots-it", role: "operator" } as const;

/** The first date on or after `from` that falls on `weekday`. */
function nextWeekday(from: string, weekday: string): string {
  let key = from;
  while (weekdayOfDateKey(key) !== weekday) key = addDaysToKey(key, 1);
  return key;
}
const TUESDAY = nextWeekday(addDaysToKey(zonedDateKey(new Date(), "Europe/Berlin"), 7), "Tuesday");

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
  ({ companyId } = await createTestCompany(db, { fx }));
  const rows = await db
    .insert(services)
    .values([
      { companyId, name: "Herrenhaarschnitt", calcomEventTypeId: fx.et(HERREN), durationMinutes: 30 },
      { companyId, name: "Komplettfärbung", calcomEventTypeId: fx.et(COLOR), durationMinutes: 90, isActive: false },
    ])
    .returning({ id: services.id });
  [herrenService, colorService] = rows.map((r) => r.id) as [number, number];
});
afterAll(async () => {
  await fx?.close();
});

describe("debugSlots", () => {
  it("lists a day's slots in local time and UTC with the exact request and raw response", async () => {
    const r = await debugSlots(db, {
      input: { companyId, serviceId: herrenService, from: TUESDAY },
      actor,
      source: "panel",
    });
    expect(r.timeZone).toBe("Europe/Berlin");
    expect(r.eventTypeId).toBe(fx.et(HERREN));
    expect(r.error).toBeNull();
    expect(r.slots).toHaveLength(18);
    expect(r.slots.map((s) => s.localTime).slice(0, 3)).toEqual(["09:00", "09:30", "10:00"]);
    expect(r.slots.at(-1)?.localTime).toBe("17:30");
    expect(new Date(r.slots[0]!.start)).toEqual(new Date(berlin(TUESDAY, "09:00")));
    expect(r.slots[0]!.utcTime).toBe(berlin(TUESDAY, "09:00").slice(11, 16));
    expect(r.request).toMatchObject({ method: "GET", path: "/v2/slots", version: "2024-09-04" });
    expect(r.request.query).toMatchObject({
      eventTypeId: String(fx.et(HERREN)),
      timeZone: "Europe/Berlin",
      format: "range",
      start: berlin(TUESDAY, "00:00"),
    });
    expect(r.request.headers.authorization).not.toContain(fx.apiKey);
    expect(r.response?.status).toBe(200);
    expect(Object.keys((r.response?.body as { data: Record<string, unknown> }).data)).toEqual([TUESDAY]);
    expect(r.context.schedule).toMatchObject({ timeZone: "Europe/Berlin" });
    expect(r.context.schedule?.availability).toContainEqual({
      days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      startTime: "09:00",
      endTime: "18:00",
    });
    expect(r.context.eventType?.hostIds).toHaveLength(3);
    expect(r.context.warnings).toEqual([]);
  });

  it("explains a fully booked time and a buffer collision, and names the inactive service", async () => {
    const http = await createCalcomHttp(db, companyId);
    for (const name of ["Ada", "Bert", "Cem"]) {
      await createBooking(http, {
        eventTypeId: fx.et(HERREN),
        start: new Date(berlin(TUESDAY, "13:00")),
        attendee: { name, email: `${name.toLowerCase()}@example.com`, timeZone: "Europe/Berlin" },
      });
    }
    const booked = await debugSlots(db, {
      input: { companyId, eventTypeId: fx.et(HERREN), from: TUESDAY, at: `${TUESDAY}T13:00` },
      actor,
    });
    expect(booked.slots.map((s) => s.localTime)).not.toContain("13:00");
    expect(booked.why).toMatchObject({ isOffered: false, isUnexplained: false });
    expect(booked.why?.reasons.map((x) => x.code)).toEqual(["booked"]);
    expect(booked.why?.reasons[0]?.detail).toContain("all 3 hosts");

    const color = await debugSlots(db, {
      input: { companyId, serviceId: colorService, from: TUESDAY, at: `${TUESDAY}T13:30` },
      actor,
    });
    expect(color.slots.map((s) => s.localTime)).not.toContain("13:30");
    expect(color.slots.map((s) => s.localTime)).toContain("15:00");
    expect(color.why?.reasons.map((x) => x.code)).toEqual(["buffer", "service-inactive"]);

    const offered = await debugSlots(db, {
      input: { companyId, serviceId: colorService, from: TUESDAY, at: `${TUESDAY}T15:00` },
      actor,
    });
    expect(offered.why).toMatchObject({ isOffered: true, isUnexplained: false });
    expect(offered.why?.reasons.map((x) => x.code)).toEqual(["service-inactive"]);
    const offGrid = await debugSlots(db, {
      input: { companyId, serviceId: colorService, from: TUESDAY, at: `${TUESDAY}T14:00` },
      actor,
    });
    expect(offGrid.why?.reasons.map((x) => x.code)).toEqual(["off-grid", "service-inactive"]);
  });

  it("resolves a caller's spelling of a service exactly as bookings do, inactive ones included", async () => {
    const byName = await debugSlots(db, { input: { companyId, service: "herren haarschnitt", from: TUESDAY }, actor });
    expect(byName).toMatchObject({ eventTypeId: fx.et(HERREN), service: { id: herrenService } });
    const inactive = await debugSlots(db, { input: { companyId, service: "Komplettfaerbung", from: TUESDAY }, actor });
    expect(inactive).toMatchObject({ eventTypeId: fx.et(COLOR), service: { id: colorService, isActive: false } });
    await expect(debugSlots(db, { input: { companyId, service: "Dauerwelle", from: TUESDAY }, actor })).rejects.toThrow(
      /Did you mean|not found|no service/i,
    );
  });

  it("explains past and out-of-hours times", async () => {
    const yesterday = addDaysToKey(zonedDateKey(new Date(), "Europe/Berlin"), -1);
    const past = await debugSlots(db, {
      input: { companyId, serviceId: herrenService, from: yesterday, at: `${yesterday}T10:00` },
      actor,
    });
    expect(past.slots).toEqual([]);
    expect(past.why?.reasons[0]?.code).toBe("past");
    const early = await debugSlots(db, {
      input: { companyId, serviceId: herrenService, from: TUESDAY, at: `${TUESDAY}T08:00` },
      actor,
    });
    expect(early.why?.reasons.map((x) => x.code)).toEqual(["outside-schedule"]);
    const sunday = addDaysToKey(TUESDAY, 5);
    const closed = await debugSlots(db, {
      input: { companyId, serviceId: herrenService, from: sunday, at: `${sunday}T10:00` },
      actor,
    });
    expect(closed.slots).toEqual([]);
    expect(closed.why?.reasons[0]?.detail).toContain("closed");
  });

  it("renders the days around the next Europe/Berlin daylight-saving switch", async () => {
    // The next last Sunday of March or October; the Friday before and the Monday after both open at 09:00 local.
    let sunday = zonedDateKey(new Date(), "Europe/Berlin");
    const isSwitch = (k: string) =>
      weekdayOfDateKey(k) === "Sunday" &&
      ["03", "10"].includes(k.slice(5, 7)) &&
      addDaysToKey(k, 7).slice(5, 7) !== k.slice(5, 7);
    while (!isSwitch(sunday)) sunday = addDaysToKey(sunday, 1);
    const friday = addDaysToKey(sunday, -2);
    const monday = addDaysToKey(sunday, 1);
    const r = await debugSlots(db, { input: { companyId, serviceId: herrenService, from: friday, to: monday }, actor });
    const first = (day: string) => r.slots.find((s) => s.localDate === day)!;
    expect(first(friday).localTime).toBe("09:00");
    expect(first(monday).localTime).toBe("09:00");
    const isSpring = sunday.slice(5, 7) === "03";
    expect([first(friday).utcTime, first(monday).utcTime]).toEqual(isSpring ? ["08:00", "07:00"] : ["07:00", "08:00"]);
    expect(r.slots.some((s) => s.localDate === sunday)).toBe(false);
  });

  it("keeps answering while the circuit is open, with the open circuit as the reason", async () => {
    const { companyId: other } = await createTestCompany(db, { fx });
    await forceOpenCircuit(db, {
      companyId: other,
      reason: "maintenance test",
      until: new Date(Date.now() + 600_000).toISOString(),
      actor,
    });
    const r = await debugSlots(db, {
      input: { companyId: other, eventTypeId: fx.et(HERREN), from: TUESDAY, at: `${TUESDAY}T10:00` },
      actor,
    });
    expect(r.error?.calCode).toBe("CAL-013");
    expect(r.response).toBeNull();
    expect(r.request.version).toBe("2024-09-04");
    expect(r.why?.reasons.map((x) => x.code)).toEqual(["circuit-open"]);
    const [recorded] = (await listSlotQueries(db, { companyId: other, limit: 5 })).items;
    expect(recorded).toMatchObject({ calCode: "CAL-013", slots: null, reasonCodes: ["circuit-open"] });
  });

  it("records every query, newest first with a keyset cursor, and serves the CLI", async () => {
    const cli = await debugAvailability(db, { eventTypeId: fx.et(HERREN), date: TUESDAY, time: "13:00" });
    expect(cli.companyId).toBe(companyId);
    const report = formatDebugReport(cli);
    expect(report).toContain("cal-api-version: 2024-09-04");
    expect(report).toContain("Already booked");
    const page1 = await listSlotQueries(db, { companyId, limit: 2 });
    expect(page1.items[0]).toMatchObject({
      id: cli.queryId,
      source: "cli",
      actorLabel: "cli",
      reasonCodes: ["booked"],
    });
    expect(page1.items[0]!.slots).toHaveLength(cli.slots.length);
    expect(page1.nextCursor).toBe(page1.items[1]!.id);
    const page2 = await listSlotQueries(db, { companyId, limit: 2, cursor: page1.nextCursor! });
    expect(page2.items[0]!.id).toBeLessThan(page1.items[1]!.id);
    const byType = await listSlotQueries(db, { companyId, eventTypeId: fx.et(COLOR), limit: 10 });
    expect(byType.items.every((q) => q.eventTypeId === fx.et(COLOR))).toBe(true);
    expect(byType.items.length).toBeGreaterThanOrEqual(3);
  });
});
