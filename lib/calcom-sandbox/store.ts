import { and, arrayOverlaps, asc, eq, gt, inArray, lt, ne, or, sql } from "drizzle-orm";
import {
  sandboxBookings,
  sandboxEventTypes,
  sandboxMemberships,
  sandboxTeams,
  sandboxUsers,
  type SandboxEventType,
  type SandboxTeam,
  type SandboxUser,
} from "@/drizzle/schema/sandbox";
import type { DbOrTx } from "@/lib/db/types";
import type { BusyBooking } from "./slots-engine";

/** Shared lookups of the sandbox's users, teams, event types and busy times. */

export async function getEventType(db: DbOrTx, id: number): Promise<SandboxEventType | null> {
  const [row] = await db.select().from(sandboxEventTypes).where(eq(sandboxEventTypes.id, id)).limit(1);
  return row ?? null;
}

export async function getUserByUsername(db: DbOrTx, username: string): Promise<SandboxUser | null> {
  const [row] = await db.select().from(sandboxUsers).where(eq(sandboxUsers.username, username)).limit(1);
  return row ?? null;
}

export async function getTeam(db: DbOrTx, id: number): Promise<SandboxTeam | null> {
  const [row] = await db.select().from(sandboxTeams).where(eq(sandboxTeams.id, id)).limit(1);
  return row ?? null;
}

export async function getTeamBySlug(db: DbOrTx, slug: string): Promise<SandboxTeam | null> {
  const [row] = await db.select().from(sandboxTeams).where(eq(sandboxTeams.slug, slug)).limit(1);
  return row ?? null;
}

export async function getUserEventTypeBySlug(
  db: DbOrTx,
  ownerId: number,
  slug: string,
): Promise<SandboxEventType | null> {
  const [row] = await db
    .select()
    .from(sandboxEventTypes)
    .where(and(eq(sandboxEventTypes.ownerId, ownerId), eq(sandboxEventTypes.slug, slug)))
    .limit(1);
  return row ?? null;
}

export async function getTeamEventTypeBySlug(
  db: DbOrTx,
  teamId: number,
  slug: string,
): Promise<SandboxEventType | null> {
  const [row] = await db
    .select()
    .from(sandboxEventTypes)
    .where(and(eq(sandboxEventTypes.teamId, teamId), eq(sandboxEventTypes.slug, slug)))
    .limit(1);
  return row ?? null;
}

export async function listTeamEventTypes(db: DbOrTx, teamId: number): Promise<SandboxEventType[]> {
  return db
    .select()
    .from(sandboxEventTypes)
    .where(eq(sandboxEventTypes.teamId, teamId))
    .orderBy(asc(sandboxEventTypes.id));
}

export async function listUserEventTypes(db: DbOrTx, ownerId: number): Promise<SandboxEventType[]> {
  return db
    .select()
    .from(sandboxEventTypes)
    .where(eq(sandboxEventTypes.ownerId, ownerId))
    .orderBy(asc(sandboxEventTypes.id));
}

export async function getUserTeams(db: DbOrTx, userId: number): Promise<(SandboxTeam & { role: string })[]> {
  const rows = await db
    .select({ team: sandboxTeams, role: sandboxMemberships.role })
    .from(sandboxMemberships)
    .innerJoin(sandboxTeams, eq(sandboxTeams.id, sandboxMemberships.teamId))
    .where(eq(sandboxMemberships.userId, userId))
    .orderBy(asc(sandboxTeams.id));
  return rows.map((r) => ({ ...r.team, role: r.role }));
}

export async function isTeamMember(db: DbOrTx, teamId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: sandboxMemberships.userId })
    .from(sandboxMemberships)
    .where(and(eq(sandboxMemberships.teamId, teamId), eq(sandboxMemberships.userId, userId)))
    .limit(1);
  return Boolean(row);
}

/** The user's role in the team (OWNER, ADMIN, MEMBER), or null when not a member. */
export async function getMembershipRole(db: DbOrTx, teamId: number, userId: number): Promise<string | null> {
  const [row] = await db
    .select({ role: sandboxMemberships.role })
    .from(sandboxMemberships)
    .where(and(eq(sandboxMemberships.teamId, teamId), eq(sandboxMemberships.userId, userId)))
    .limit(1);
  return row?.role ?? null;
}

export async function getUsers(db: DbOrTx, ids: number[]): Promise<Map<number, SandboxUser>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(sandboxUsers).where(inArray(sandboxUsers.id, ids));
  return new Map(rows.map((u) => [u.id, u]));
}

export async function getTeamMembers(db: DbOrTx, teamId: number): Promise<SandboxUser[]> {
  const rows = await db
    .select({ user: sandboxUsers })
    .from(sandboxMemberships)
    .innerJoin(sandboxUsers, eq(sandboxUsers.id, sandboxMemberships.userId))
    .where(eq(sandboxMemberships.teamId, teamId))
    .orderBy(asc(sandboxUsers.id));
  return rows.map((r) => r.user);
}

/**
 * Accepted and pending bookings of any of the hosts that may touch [from, to], with their event type's buffers.
 * A day of margin covers the widest buffers.
 */
export async function loadBusyBookings(
  db: DbOrTx,
  opts: { hostIds: number[]; from: Date; to: Date; excludeUid?: string | null },
): Promise<BusyBooking[]> {
  if (opts.hostIds.length === 0) return [];
  const margin = 86_400_000;
  const b = sandboxBookings;
  const rows = await db
    .select({
      uid: b.uid,
      start: b.start,
      end: b.end,
      hostIds: b.hostIds,
      beforeBuffer: sandboxEventTypes.beforeEventBuffer,
      afterBuffer: sandboxEventTypes.afterEventBuffer,
    })
    .from(b)
    .innerJoin(sandboxEventTypes, eq(sandboxEventTypes.id, b.eventTypeId))
    .where(
      and(
        or(eq(b.status, "accepted"), eq(b.status, "pending")),
        lt(b.start, new Date(opts.to.getTime() + margin)),
        gt(b.end, new Date(opts.from.getTime() - margin)),
        arrayOverlaps(b.hostIds, opts.hostIds),
        opts.excludeUid ? ne(b.uid, opts.excludeUid) : sql`true`,
      ),
    );
  return rows;
}
