import { eq } from "drizzle-orm";
import { z } from "zod";
import { sandboxEventTypes, sandboxMemberships } from "@/drizzle/schema/sandbox";
import type { Db } from "@/lib/db/types";
import { DEFAULT_SCHEDULE } from "./seed-catalog";
import { getEventType, getTeam } from "./store";

/**
 * Event types of the kinds Cal.com has and the demo catalog does not (contract §8.8): a managed parent with one child
 * per host, a seated one and a recurring one. Seeded next to a team's catalog (`POST /_control/fidelity/seed`) rather
 * than into it, so the catalog's counts (team "Friseur" has 45) stay as they are.
 */

export const seedFidelityInputSchema = z.object({ teamId: z.number().int().positive() }).strict();

/** Ids above every catalog copy's (test copies shift by up to 2e9): 2.1e9 + 20 per team, still a 32-bit integer. */
function fidelityEventTypeIds(teamId: number) {
  const base = 2_100_000_000 + (teamId % 10_000) * 20;
  return { managedParent: base + 1, seated: base + 2, recurring: base + 3, managedChild: (n: number) => base + 4 + n };
}

export type FidelitySeedResult = {
  managedParent: number;
  managedChildren: { id: number; hostUserId: number }[];
  seated: number;
  recurring: number;
};

const FIELDS = [
  { slug: "name", type: "name", label: "your_name", required: true, hidden: false, isDefault: true },
  { slug: "email", type: "email", label: "email_address", required: true, hidden: false, isDefault: true },
];

export async function seedFidelityEventTypes(
  db: Db,
  input: z.input<typeof seedFidelityInputSchema>,
): Promise<FidelitySeedResult> {
  const { teamId } = seedFidelityInputSchema.parse(input);
  const team = await getTeam(db, teamId);
  if (!team) throw new Error(`sandbox team ${teamId} does not exist`);
  const ids = fidelityEventTypeIds(teamId);
  const hosts = (
    await db
      .select({ userId: sandboxMemberships.userId, role: sandboxMemberships.role })
      .from(sandboxMemberships)
      .where(eq(sandboxMemberships.teamId, teamId))
  )
    .filter((m) => m.role === "MEMBER")
    .slice(0, 16)
    .map((m) => m.userId)
    .sort((a, b) => a - b);
  const base = { lengthInMinutes: 30, schedule: DEFAULT_SCHEDULE, bookingFields: FIELDS, description: "" };
  const rows = [
    // The parent: schedulingType "managed", no hosts of its own (not bookable, no slots).
    {
      ...base,
      id: ids.managedParent,
      teamId,
      slug: "managed-beratung",
      title: "Beratung (managed)",
      schedulingType: "managed",
      hostUserIds: [],
    },
    // One child per host, owned by that host, same slug (Cal.com creates them when the parent is assigned).
    ...hosts.map((hostId, n) => ({
      ...base,
      id: ids.managedChild(n),
      ownerId: hostId,
      parentEventTypeId: ids.managedParent,
      slug: "managed-beratung",
      title: "Beratung (managed)",
      schedulingType: null,
      hostUserIds: [hostId],
    })),
    {
      ...base,
      id: ids.seated,
      teamId,
      slug: "workshop-seated",
      title: "Workshop (3 seats)",
      schedulingType: "collective",
      hostUserIds: hosts.slice(0, 1),
      seatsPerTimeSlot: 3,
    },
    {
      ...base,
      id: ids.recurring,
      teamId,
      slug: "kur-weekly",
      title: "Kur (weekly x4)",
      schedulingType: "roundRobin",
      hostUserIds: hosts,
      recurrence: { frequency: "weekly" as const, interval: 1, occurrences: 4 },
    },
  ];
  await db.insert(sandboxEventTypes).values(rows).onConflictDoNothing();
  const managedChildren = hosts.map((hostUserId, n) => ({ id: ids.managedChild(n), hostUserId }));
  if (!(await getEventType(db, ids.managedParent))) throw new Error("fidelity seed did not insert");
  return { managedParent: ids.managedParent, managedChildren, seated: ids.seated, recurring: ids.recurring };
}
