import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPOINTMENT_STATUSES, appointments, companies } from "@/drizzle/schema/core";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { listAppointments, listAppointmentsQuerySchema, type ListAppointmentsQuery } from "./appointments";

const ROWS = 130;

let db: Db;
let companyId: number;
let otherCompanyId: number;
let tag: string;
/** This file's rows in the company, highest id first. */
let rows: { id: number; status: string; calcomBookingUid: string | null }[];

beforeAll(async () => {
  db = await getTestDb();
  tag = randomUUID();
  const [company] = await db
    .insert(companies)
    .values({ name: "Appointments pages", slug: `appts-${tag}` })
    .returning();
  const [other] = await db
    .insert(companies)
    .values({ name: "Appointments other", slug: `appts-other-${tag}` })
    .returning();
  companyId = company!.id;
  otherCompanyId = other!.id;
  const start = Date.UTC(2030, 5, 1, 8);
  const values = Array.from({ length: ROWS }, (_, i) => ({
    companyId,
    startsAt: new Date(start + i * 3_600_000),
    endsAt: new Date(start + i * 3_600_000 + 1_800_000),
    timeZone: "Europe/Berlin",
    // The 7 statuses in rotation: 18 or 19 rows each.
    status: APPOINTMENT_STATUSES[i % APPOINTMENT_STATUSES.length]!,
    calcomBookingUid: `uid-${tag}-${i}`,
  }));
  const inserted = await db.insert(appointments).values(values).returning();
  rows = inserted.sort((a, b) => b.id - a.id);
  await db.insert(appointments).values({
    companyId: otherCompanyId,
    startsAt: new Date(start),
    endsAt: new Date(start + 1_800_000),
    timeZone: "Europe/Berlin",
    status: "pending",
    calcomBookingUid: `uid-${tag}-other`,
  });
});
afterAll(async () => {
  await closeDb();
});

async function walk(query: Omit<ListAppointmentsQuery, "cursor">) {
  const pages: { ids: number[]; nextCursor: number | null }[] = [];
  let cursor: number | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const page = await listAppointments(db, { ...query, cursor });
    pages.push({ ids: page.items.map((i) => i.id), nextCursor: page.nextCursor });
    if (page.nextCursor === null) return pages;
    expect(page.nextCursor).toBe(page.items.at(-1)?.id);
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

describe("listAppointments keyset pagination", () => {
  it("walks every appointment of a company exactly once, newest id first", async () => {
    const pages = await walk(listAppointmentsQuerySchema.parse({ companyId: String(companyId), limit: "50" }));
    expect(pages.map((p) => p.ids.length)).toEqual([50, 50, 30]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.ids)).toEqual(rows.map((r) => r.id));
  });

  it("ends with nextCursor null when the last page is exactly full", async () => {
    const pages = await walk({ companyId, limit: 65 });
    expect(pages.map((p) => [p.ids.length, p.nextCursor === null])).toEqual([
      [65, false],
      [65, true],
    ]);
  });

  it("a cursor from the middle continues right after it", async () => {
    const cursor = rows[9]!.id;
    const page = await listAppointments(
      db,
      listAppointmentsQuerySchema.parse({ companyId, cursor: String(cursor), limit: 5 }),
    );
    expect(page.items.map((i) => i.id)).toEqual(rows.slice(10, 15).map((r) => r.id));
    expect(page.nextCursor).toBe(rows[14]!.id);
  });
});

describe("listAppointments filters", () => {
  it("filters by status within a company, paging through every match", async () => {
    for (const status of ["pending", "no_show"] as const) {
      const expected = rows.filter((r) => r.status === status).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(10);
      const pages = await walk({ companyId, status, limit: 10 });
      expect(pages.flatMap((p) => p.ids)).toEqual(expected);
      expect(pages.at(-1)?.nextCursor).toBeNull();
    }
  });

  it("filters by booking uid", async () => {
    const target = rows[42]!;
    const page = await listAppointments(db, { bookingUid: target.calcomBookingUid!, limit: 50 });
    expect(page).toEqual({ items: [expect.objectContaining({ id: target.id, companyId })], nextCursor: null });
    expect(
      (await listAppointments(db, { bookingUid: target.calcomBookingUid!, companyId: otherCompanyId, limit: 50 }))
        .items,
    ).toEqual([]);
  });

  it("keeps companies apart", async () => {
    const page = await listAppointments(db, { companyId: otherCompanyId, limit: 50 });
    expect(page.items.map((i) => i.calcomBookingUid)).toEqual([`uid-${tag}-other`]);
    expect(page.nextCursor).toBeNull();
  });

  it("rejects unknown statuses and out-of-range limits", () => {
    expect(listAppointmentsQuerySchema.safeParse({ status: "done" }).success).toBe(false);
    expect(listAppointmentsQuerySchema.safeParse({ limit: "500" }).success).toBe(false);
    expect(listAppointmentsQuerySchema.parse({}).limit).toBe(50);
  });
});
