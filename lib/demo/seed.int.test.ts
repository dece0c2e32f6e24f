import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appointments,
  auditLog,
  branches,
  companies,
  companyWebhookSecrets,
  services,
  staff,
  type Company,
} from "@/drizzle/schema/core";
import type { Actor } from "@/lib/auth/roles";
import { decryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { zonedDateKey, zonedWeekday } from "@/lib/time/zoned";
import { closeDb, getTestDb } from "@/test/db";
import { FRISEUR, PRAXIS } from "./catalog";
import { seedDemo } from "./seed";

const ACTOR: Actor = { kind: "system", label: "seed.int.test", role: "admin" };
const DAY = 86_400_000;

let db: Db;
let first: Awaited<ReturnType<typeof seedDemo>>;
let seededAt: Date;

beforeAll(async () => {
  db = await getTestDb();
  seededAt = new Date();
  // Another test file may have seeded this database already; then everything is skipped and the data is theirs.
  first = await seedDemo(db, { actor: ACTOR, now: seededAt });
});
afterAll(async () => {
  await closeDb();
});

async function companyBySlug(slug: string): Promise<Company> {
  const [row] = await db.select().from(companies).where(eq(companies.slug, slug));
  expect(row, `company ${slug}`).toBeDefined();
  return row!;
}

async function counts(companyIds: number[]) {
  const count = async (
    table: typeof services | typeof staff | typeof appointments | typeof branches | typeof companyWebhookSecrets,
  ) =>
    (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(inArray(table.companyId, companyIds))
    )[0]?.n;
  return {
    services: await count(services),
    staff: await count(staff),
    appointments: await count(appointments),
    branches: await count(branches),
    secrets: await count(companyWebhookSecrets),
    companies: (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(companies)
        .where(inArray(companies.id, companyIds))
    )[0]?.n,
  };
}

describe("seedDemo", () => {
  it("reports each demo tenant as created or already present, with the generated secrets of each created one", () => {
    expect([...first.created, ...first.skipped].sort()).toEqual([FRISEUR.slug, PRAXIS.slug].sort());
    expect(first.tenants.map((t) => t.slug)).toEqual(first.created);
    for (const tenant of first.tenants) {
      expect(tenant.apiKey).toMatch(new RegExp(`^cal_test_sandbox_${tenant.slug.replace(/-/g, "")}_[0-9a-f]{24}$`));
      expect(tenant.webhookSecret).toMatch(/^whsec_[0-9a-f]{48}$/);
    }
  });

  it("creates Friseur: default company, team 34209, 18 services with the catalog's event type ids", async () => {
    const friseur = await companyBySlug(FRISEUR.slug);
    expect(friseur).toMatchObject({
      name: "Friseur",
      isDefault: true,
      calcomTeamId: 34209,
      calcomTeamSlug: "friseur",
      timeZone: "Europe/Berlin",
      calcomApiUrl: null,
    });
    const rows = await db.select().from(services).where(eq(services.companyId, friseur.id));
    expect(rows).toHaveLength(18);
    const byName = Object.fromEntries(rows.map((s) => [s.name, s]));
    for (const s of FRISEUR.services) {
      expect(byName[s.name], s.name).toMatchObject({
        calcomEventTypeId: s.eventTypeId,
        durationMinutes: s.minutes,
        price: s.price.toFixed(2),
        isActive: true,
      });
    }
    expect(rows.every((s) => s.calcomEventTypeId !== null)).toBe(true);
    expect(await db.select().from(staff).where(eq(staff.companyId, friseur.id))).toHaveLength(3);
    expect((await db.select().from(branches).where(eq(branches.companyId, friseur.id))).map((b) => b.name)).toEqual([
      "Filiale Innenstadt",
    ]);
  });

  it("creates Praxis am Markt with Beratung 30 min and Kurzberatung 15 min", async () => {
    const praxis = await companyBySlug(PRAXIS.slug);
    expect(praxis).toMatchObject({ name: "Praxis am Markt", isDefault: false, calcomTeamId: 41877 });
    const rows = await db.select().from(services).where(eq(services.companyId, praxis.id));
    const byName = Object.fromEntries(rows.map((s) => [s.name, s]));
    expect(byName.Beratung).toMatchObject({ durationMinutes: 30, calcomEventTypeId: 2563193 });
    expect(byName.Kurzberatung).toMatchObject({ durationMinutes: 15, calcomEventTypeId: 3664712 });
    expect(rows).toHaveLength(PRAXIS.services.length);
  });

  it("stores the Cal.com key and the webhook secret encrypted", async () => {
    for (const slug of [FRISEUR.slug, PRAXIS.slug]) {
      const company = await companyBySlug(slug);
      const key = decryptSecret(company.calcomApiKeyEnc!);
      expect(company.calcomApiKeyEnc).not.toContain(key);
      expect(key.startsWith(`cal_test_sandbox_${slug.replace(/-/g, "")}_`)).toBe(true);
      expect(company.calcomApiKeyLast4).toBe(key.slice(-4));
      const seeded = first.tenants.find((t) => t.slug === slug);
      if (seeded) expect(key).toBe(seeded.apiKey);

      const secrets = await db
        .select()
        .from(companyWebhookSecrets)
        .where(eq(companyWebhookSecrets.companyId, company.id));
      expect(secrets).toHaveLength(1);
      const secret = decryptSecret(secrets[0]!.secretEnc);
      expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
      expect(secrets[0]).toMatchObject({ label: "primary", isActive: true, secretLast4: secret.slice(-4) });
      if (seeded) expect(secret).toBe(seeded.webhookSecret);
    }
  });

  it("creates appointments in the past 30 and the next 30 days, never on a Sunday, consistent with their services", async () => {
    for (const slug of [FRISEUR.slug, PRAXIS.slug]) {
      const company = await companyBySlug(slug);
      const rows = await db.select().from(appointments).where(eq(appointments.companyId, company.id));
      const serviceRows = await db.select().from(services).where(eq(services.companyId, company.id));
      const serviceById = new Map(serviceRows.map((s) => [s.id, s]));
      for (const a of rows) {
        expect(zonedWeekday(a.startsAt, "Europe/Berlin")).not.toBe(7);
        const service = serviceById.get(a.serviceId!);
        expect(service).toBeDefined();
        expect(a.endsAt.getTime() - a.startsAt.getTime()).toBe(service!.durationMinutes * 60_000);
        expect(a.calcomEventTypeId).toBe(service!.calcomEventTypeId);
        expect(a).toMatchObject({ syncStatus: "synced", timeZone: "Europe/Berlin" });
      }
      const starts = rows.map((a) => a.startsAt.getTime());
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(62 * DAY);
      // Whatever "now" the seed ran with: every finished appointment ends before every upcoming one.
      const finished = rows.filter((a) => a.status === "completed" || a.status === "no_show");
      const upcoming = rows.filter((a) => a.status === "confirmed" || a.status === "pending");
      expect(finished.length).toBeGreaterThan(10);
      expect(upcoming.length).toBeGreaterThan(10);
      expect(Math.max(...finished.map((a) => a.endsAt.getTime()))).toBeLessThan(
        Math.min(...upcoming.map((a) => a.endsAt.getTime())),
      );
      // 1 to 3 appointments per open day.
      const perDay = new Map<string, number>();
      for (const a of rows)
        perDay.set(
          zonedDateKey(a.startsAt, "Europe/Berlin"),
          (perDay.get(zonedDateKey(a.startsAt, "Europe/Berlin")) ?? 0) + 1,
        );
      expect(Math.max(...perDay.values())).toBeLessThanOrEqual(3);
      expect(new Set(rows.map((a) => a.calcomBookingUid)).size).toBe(rows.length);

      const seeded = first.tenants.find((t) => t.slug === slug);
      if (!seeded) continue; // seeded earlier by another file, with a "now" we do not know
      const now = seededAt.getTime();
      const past = rows.filter((a) => a.endsAt.getTime() < now);
      const future = rows.filter((a) => a.endsAt.getTime() >= now);
      expect(past.length).toBeGreaterThan(20);
      expect(future.length).toBeGreaterThan(20);
      for (const a of rows) {
        expect(a.startsAt.getTime()).toBeGreaterThan(now - 31 * DAY);
        expect(a.startsAt.getTime()).toBeLessThan(now + 31 * DAY);
      }
      for (const a of past) expect(["completed", "cancelled", "no_show"]).toContain(a.status);
      for (const a of future) expect(["confirmed", "pending", "cancelled"]).toContain(a.status);
      // What the sandbox is told to mirror matches the rows exactly.
      expect(seeded.bookings.map((b) => b.uid).sort()).toEqual(rows.map((a) => a.calcomBookingUid).sort());
    }
  });

  it("creates nothing the second time", async () => {
    const ids = [(await companyBySlug(FRISEUR.slug)).id, (await companyBySlug(PRAXIS.slug)).id];
    const before = await counts(ids);
    const second = await seedDemo(db, { actor: ACTOR });
    expect(second).toEqual({ created: [], skipped: [FRISEUR.slug, PRAXIS.slug], tenants: [] });
    expect(await counts(ids)).toEqual(before);
    const seedAudit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "demo.seed"), inArray(auditLog.targetId, [FRISEUR.slug, PRAXIS.slug])));
    expect(seedAudit.map((a) => a.targetId).sort()).toEqual([FRISEUR.slug, PRAXIS.slug].sort());
  });
});
