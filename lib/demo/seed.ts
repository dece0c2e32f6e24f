import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import {
  appointments,
  branches,
  companies,
  companyWebhookSecrets,
  services,
  staff,
  type AppointmentStatus,
} from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db, DbOrTx } from "@/lib/db/types";
import { zonedDateKey, zonedToUtc, zonedWeekday } from "@/lib/time/zoned";
import { DEMO_TENANTS, type DemoTenant } from "./catalog";

const TZ = "Europe/Berlin";

/** Deterministic pseudo-random numbers so every seeded database looks the same relative to its seeding day. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SeedResult = { created: string[]; skipped: string[] };
/** What the Cal.com sandbox needs to mirror a freshly seeded tenant. */
export type SeededTenant = {
  slug: string;
  apiKey: string;
  webhookSecret: string;
  bookings: {
    uid: string;
    id: number;
    eventTypeId: number;
    start: Date;
    end: Date;
    status: "accepted" | "pending" | "cancelled";
    attendee: { name: string; email: string; timeZone: string };
  }[];
};

/** Idempotent: a tenant whose slug exists is left alone. Returns the keys it generated so the sandbox can accept them. */
export async function seedDemo(
  db: Db,
  opts: { actor: Actor; now?: Date },
): Promise<SeedResult & { tenants: SeededTenant[] }> {
  const result: SeedResult & { tenants: SeededTenant[] } = { created: [], skipped: [], tenants: [] };
  for (const [index, tenant] of DEMO_TENANTS.entries()) {
    const apiKey = `cal_test_sandbox_${tenant.slug.replace(/-/g, "")}_${randomBytes(12).toString("hex")}`;
    const created = await db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.slug, tenant.slug));
      if (existing) return null;
      const [currentDefault] = await tx
        .select({ id: companies.id })
        .from(companies)
        .where(eq(companies.isDefault, true));
      const seeded = await seedTenant(tx, {
        tenant,
        apiKey,
        isDefault: index === 0 && !currentDefault,
        seed: index + 1,
        now: opts.now ?? new Date(),
      });
      await writeAudit(tx, { actor: opts.actor, action: "demo.seed", targetType: "company", targetId: tenant.slug });
      return seeded;
    });
    (created ? result.created : result.skipped).push(tenant.slug);
    if (created) result.tenants.push(created);
  }
  return result;
}

async function seedTenant(
  tx: DbOrTx,
  opts: { tenant: DemoTenant; apiKey: string; isDefault: boolean; seed: number; now: Date },
): Promise<SeededTenant> {
  const { tenant } = opts;
  const [company] = await tx
    .insert(companies)
    .values({
      name: tenant.name,
      slug: tenant.slug,
      timeZone: TZ,
      isDefault: opts.isDefault,
      calcomApiKeyEnc: encryptSecret(opts.apiKey),
      calcomApiKeyLast4: opts.apiKey.slice(-4),
      calcomTeamId: tenant.teamId,
      calcomTeamSlug: tenant.teamSlug,
    })
    .returning();
  if (!company) throw new Error("insert company returned nothing");
  const secret = `whsec_${randomBytes(24).toString("hex")}`;
  await tx.insert(companyWebhookSecrets).values({
    companyId: company.id,
    label: "primary",
    secretEnc: encryptSecret(secret),
    secretLast4: secret.slice(-4),
  });
  const [branch] = await tx.insert(branches).values({ companyId: company.id, name: tenant.branch }).returning();
  const staffRows = await tx
    .insert(staff)
    .values(tenant.staff.map((s) => ({ companyId: company.id, branchId: branch?.id, ...s })))
    .returning();
  const serviceRows = await tx
    .insert(services)
    .values(
      tenant.services.map((s) => ({
        companyId: company.id,
        branchId: branch?.id,
        name: s.name,
        calcomEventTypeId: s.eventTypeId,
        durationMinutes: s.minutes,
        price: s.price.toFixed(2),
      })),
    )
    .returning();
  const rows = await tx
    .insert(appointments)
    .values(buildAppointments({ companyId: company.id, serviceRows, staffRows, seed: opts.seed, now: opts.now }))
    .returning();
  const bookings = rows.map((a) => ({
    uid: a.calcomBookingUid!,
    id: a.calcomBookingId!,
    eventTypeId: a.calcomEventTypeId!,
    start: a.startsAt,
    end: a.endsAt,
    status:
      a.status === "cancelled"
        ? ("cancelled" as const)
        : a.status === "pending"
          ? ("pending" as const)
          : ("accepted" as const),
    attendee: { name: a.attendeeName!, email: a.attendeeEmail!, timeZone: a.timeZone },
  }));
  return { slug: tenant.slug, apiKey: opts.apiKey, webhookSecret: secret, bookings };
}

type Row = { id: number };
function buildAppointments(opts: {
  companyId: number;
  serviceRows: (Row & { durationMinutes: number; calcomEventTypeId: number | null })[];
  staffRows: Row[];
  seed: number;
  now: Date;
}) {
  const rand = mulberry32(opts.seed * 7919);
  const names = [
    "Hans Schuster",
    "Maria Weber",
    "Jonas Fischer",
    "Sophie Wagner",
    "Paul Becker",
    "Emma Hoffmann",
    "Felix Schulz",
    "Mia Koch",
  ];
  const rows: (typeof appointments.$inferInsert)[] = [];
  for (let dayOffset = -30; dayOffset <= 30; dayOffset++) {
    const day = new Date(opts.now.getTime() + dayOffset * 86_400_000);
    if (zonedWeekday(day, TZ) === 7) continue; // closed on Sundays
    const [y, m, d] = zonedDateKey(day, TZ).split("-").map(Number) as [number, number, number];
    const count = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < count; i++) {
      const service = opts.serviceRows[Math.floor(rand() * opts.serviceRows.length)]!;
      const start = zonedToUtc(
        { year: y, month: m, day: d, hour: 9 + Math.floor(rand() * 8), minute: rand() < 0.5 ? 0 : 30 },
        TZ,
      );
      const end = new Date(start.getTime() + service.durationMinutes * 60_000);
      const isPast = end < opts.now;
      const roll = rand();
      const status: AppointmentStatus = isPast
        ? roll < 0.8
          ? "completed"
          : roll < 0.93
            ? "cancelled"
            : "no_show"
        : roll < 0.85
          ? "confirmed"
          : roll < 0.95
            ? "pending"
            : "cancelled";
      const name = names[Math.floor(rand() * names.length)]!;
      rows.push({
        companyId: opts.companyId,
        serviceId: service.id,
        staffId: opts.staffRows[Math.floor(rand() * opts.staffRows.length)]?.id,
        startsAt: start,
        endsAt: end,
        timeZone: TZ,
        status,
        attendeeName: name,
        attendeeEmail: `${name.toLowerCase().replace(/\s+/g, ".")}@example.com`,
        calcomEventTypeId: service.calcomEventTypeId,
        calcomBookingId: 12_840_000 + opts.seed * 10_000 + rows.length,
        calcomBookingUid: randomBytes(16).toString("base64url").slice(0, 22),
        syncStatus: "synced",
      });
    }
  }
  return rows;
}
