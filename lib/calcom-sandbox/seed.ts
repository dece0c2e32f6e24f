import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import {
  SANDBOX_BOOKING_STATUSES,
  sandboxApiKeys,
  sandboxBookings,
  sandboxEventTypes,
  sandboxMemberships,
  sandboxTeams,
  sandboxUsers,
  sandboxWebhooks,
  type SandboxEventType,
} from "@/drizzle/schema/sandbox";
import type { DemoTenant } from "@/lib/demo/catalog";
import type { Db, DbOrTx } from "@/lib/db/types";
import { excluded } from "@/lib/db/upsert";
import { hashApiKey } from "./auth";
import { hostOutput } from "./booking-write";
import { BOOKING_TRIGGERS } from "./constants";
import {
  bookingFieldsFor,
  catalogEventTypes,
  DEFAULT_SCHEDULE,
  deriveDemoTenant,
  findCatalogTenant,
  keyUserFor,
  SANDBOX_TIME_ZONE,
} from "./seed-catalog";
import { assignHosts } from "./slots-engine";
import { getUsers, loadBusyBookings } from "./store";

const seedTenantSchema = z
  .object({
    /** A tenant of lib/demo/catalog.ts, matched by slug. */
    slug: z.string().min(1),
    apiKey: z.string().startsWith("cal_"),
    webhook: z
      .object({ url: z.url(), secret: z.string().min(1).nullable().optional() })
      .strict()
      .optional(),
    /** Test isolation: seed a copy under this team id, with user and event type ids shifted by idOffset. */
    teamId: z.number().int().positive().optional(),
    idOffset: z.number().int().min(0).optional(),
    /** Puts the team inside this organization id (for the org event-types route). */
    organizationId: z.number().int().positive().optional(),
  })
  .strict();

const seedBookingSchema = z
  .object({
    uid: z.string().min(1),
    id: z.number().int().positive().optional(),
    eventTypeId: z.number().int().positive(),
    start: z.coerce.date(),
    end: z.coerce.date(),
    status: z.enum(SANDBOX_BOOKING_STATUSES),
    attendee: z.object({ name: z.string(), email: z.string(), timeZone: z.string().default(SANDBOX_TIME_ZONE) }),
  })
  .strict();

export const seedInputSchema = z
  .object({ tenants: z.array(seedTenantSchema), bookings: z.array(seedBookingSchema).optional() })
  .strict();
export type SeedSandboxInput = z.input<typeof seedInputSchema>;
export type SeedSandboxResult = {
  tenants: {
    slug: string;
    teamId: number;
    teamSlug: string;
    keyUserId: number;
    eventTypes: number;
    apiKeyLast4: string;
  }[];
  bookings: { created: number; skipped: number };
  unknownTenants: string[];
};

async function seedTenant(tx: DbOrTx, tenant: DemoTenant, input: z.infer<typeof seedTenantSchema>): Promise<number> {
  const keyUser = keyUserFor(tenant);
  await tx
    .insert(sandboxTeams)
    .values({
      id: tenant.teamId,
      slug: tenant.teamSlug,
      name: tenant.name,
      parentId: input.organizationId ?? null,
      timeZone: SANDBOX_TIME_ZONE,
    })
    .onConflictDoUpdate({
      target: sandboxTeams.id,
      set: { name: tenant.name, parentId: input.organizationId ?? null },
    });
  const users = [
    keyUser,
    ...tenant.staff.map((s) => ({ id: s.calcomUserId, username: s.calcomUsername, email: s.email, name: s.name })),
  ];
  await tx
    .insert(sandboxUsers)
    .values(users.map((u) => ({ ...u, timeZone: SANDBOX_TIME_ZONE })))
    .onConflictDoNothing();
  await tx
    .insert(sandboxMemberships)
    .values(
      users.map((u) => ({
        teamId: tenant.teamId,
        userId: u.id,
        role: u.id === keyUser.id ? ("OWNER" as const) : ("MEMBER" as const),
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(sandboxApiKeys)
    .values({
      keyHash: hashApiKey(input.apiKey),
      userId: keyUser.id,
      label: `${tenant.slug} (seed)`,
      last4: input.apiKey.slice(-4),
    })
    .onConflictDoNothing();
  const hostUserIds = tenant.staff.map((s) => s.calcomUserId);
  const eventTypes = catalogEventTypes(tenant, input.idOffset ?? 0).map((s) => ({
    id: s.eventTypeId,
    teamId: tenant.teamId,
    slug: s.slug,
    title: s.name,
    lengthInMinutes: s.minutes,
    beforeEventBuffer: s.tuning.beforeEventBuffer ?? 0,
    afterEventBuffer: s.tuning.afterEventBuffer ?? 0,
    minimumBookingNotice: s.tuning.minimumBookingNotice ?? 0,
    slotInterval: s.tuning.slotInterval ?? null,
    bookingWindowDays: s.tuning.bookingWindowDays ?? null,
    requiresConfirmation: s.tuning.requiresConfirmation ?? false,
    hidden: s.hidden,
    schedulingType: "roundRobin",
    hostUserIds,
    schedule: DEFAULT_SCHEDULE,
    bookingFields: bookingFieldsFor(tenant),
    price: s.price,
  }));
  await tx
    .insert(sandboxEventTypes)
    .values(eventTypes)
    .onConflictDoUpdate({
      target: sandboxEventTypes.id,
      // Re-seeding restores the catalog settings (e.g. after a test changed them); id, team and scheduling type stay.
      set: excluded(Object.keys(eventTypes[0] ?? {}).filter((k) => !["id", "teamId", "schedulingType"].includes(k))),
    });
  if (input.webhook) {
    await tx.delete(sandboxWebhooks).where(inArray(sandboxWebhooks.teamId, [tenant.teamId]));
    await tx.insert(sandboxWebhooks).values({
      teamId: tenant.teamId,
      subscriberUrl: input.webhook.url,
      secret: input.webhook.secret ?? null,
      active: true,
      triggers: [...BOOKING_TRIGGERS],
    });
  }
  return eventTypes.length;
}

async function seedBooking(
  tx: DbOrTx,
  b: z.infer<typeof seedBookingSchema>,
  eventTypes: Map<number, SandboxEventType>,
): Promise<boolean> {
  const et = eventTypes.get(b.eventTypeId);
  if (!et) return false;
  const lengthMinutes = Math.round((b.end.getTime() - b.start.getTime()) / 60_000);
  const busy = await loadBusyBookings(tx, { hostIds: et.hostUserIds, from: b.start, to: b.end });
  const hostIds = assignHosts(et, b.start, lengthMinutes, busy) ?? et.hostUserIds.slice(0, 1);
  const users = await getUsers(tx, hostIds);
  const hosts = hostIds.flatMap((id) => (users.get(id) ? [hostOutput(users.get(id)!)] : []));
  const team = et.teamId
    ? (
        await tx
          .select()
          .from(sandboxTeams)
          .where(inArray(sandboxTeams.id, [et.teamId]))
      )[0]
    : undefined;
  const rows = await tx
    .insert(sandboxBookings)
    .values({
      ...(b.id ? { id: b.id } : {}),
      uid: b.uid,
      eventTypeId: et.id,
      teamId: et.teamId,
      userId: hostIds[0] ?? 0,
      hostIds,
      title: `${et.title} between ${hosts[0]?.name ?? ""} and ${b.attendee.name}`,
      start: b.start,
      end: b.end,
      status: b.status,
      attendees: [
        {
          name: b.attendee.name,
          email: b.attendee.email,
          timeZone: b.attendee.timeZone,
          language: "de",
          absent: false,
        },
      ],
      hosts,
      location: team?.name ?? "integrations:daily",
      bookingFieldsResponses: { name: b.attendee.name, email: b.attendee.email, displayEmail: b.attendee.email },
      ...(b.status === "cancelled" ? { cancellationReason: "", cancelledByEmail: b.attendee.email } : {}),
    })
    .onConflictDoNothing()
    .returning({ id: sandboxBookings.id });
  return rows.length > 0;
}

/**
 * Idempotent: creates (or refreshes) each catalog tenant's team, users, API key, event types and webhook, then the
 * given bookings (existing uids/ids are skipped). Returns what it seeded; the API keys themselves are never stored.
 */
export async function seedSandbox(db: Db, input: SeedSandboxInput): Promise<SeedSandboxResult> {
  const opts = seedInputSchema.parse(input);
  const result: SeedSandboxResult = { tenants: [], bookings: { created: 0, skipped: 0 }, unknownTenants: [] };
  await db.transaction(async (tx) => {
    for (const t of opts.tenants) {
      const base = findCatalogTenant(t.slug);
      if (!base) {
        result.unknownTenants.push(t.slug);
        continue;
      }
      const tenant = t.teamId ? deriveDemoTenant(base, { teamId: t.teamId, idOffset: t.idOffset ?? 0 }) : base;
      const count = await seedTenant(tx, tenant, t);
      result.tenants.push({
        slug: t.slug,
        teamId: tenant.teamId,
        teamSlug: tenant.teamSlug,
        keyUserId: keyUserFor(tenant).id,
        eventTypes: count,
        apiKeyLast4: t.apiKey.slice(-4),
      });
    }
    const bookings = opts.bookings ?? [];
    if (bookings.length) {
      const ids = [...new Set(bookings.map((b) => b.eventTypeId))];
      const eventTypes = new Map(
        (await tx.select().from(sandboxEventTypes).where(inArray(sandboxEventTypes.id, ids))).map((e) => [e.id, e]),
      );
      for (const b of bookings) {
        if (await seedBooking(tx, b, eventTypes)) result.bookings.created++;
        else result.bookings.skipped++;
      }
      // Seeded ids may sit above the identity sequence; move it past them so API-created bookings never collide.
      await tx.execute(
        sql`select setval(pg_get_serial_sequence('sandbox_bookings', 'id'), greatest((select coalesce(max(id), 0) from sandbox_bookings), (select last_value from sandbox_bookings_id_seq)))`,
      );
    }
  });
  return result;
}
