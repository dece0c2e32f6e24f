import type { SandboxEventType } from "@/drizzle/schema/sandbox";
import { requireAuthUser, SandboxHttpError, success, type SandboxContext } from "./http";
import { parseIntParam } from "./params";
import { readFidelity } from "./fidelity";
import { getEventType, getMembershipRole } from "./store";

/**
 * GET /v2/schedules/{id} (2024-06-11). The sandbox keeps one schedule per event type, so a schedule's id is its
 * event type's id (the event type output carries it as `scheduleId`).
 */

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** ScheduleOutput_2024_06_11: weekly hours grouped by identical ranges, no overrides. */
function scheduleOutput(et: SandboxEventType) {
  const byRange = new Map<string, string[]>();
  for (let day = 1; day <= 7; day++) {
    for (const [start, end] of et.schedule.weekly[String(day)] ?? []) {
      const key = `${start}-${end}`;
      byRange.set(key, [...(byRange.get(key) ?? []), WEEKDAY_NAMES[day - 1]!]);
    }
  }
  return {
    id: et.id,
    ownerId: et.ownerId ?? et.hostUserIds[0] ?? 0,
    name: `${et.title} hours`,
    timeZone: et.schedule.timeZone,
    availability: [...byRange].map(([range, days]) => {
      const [startTime, endTime] = range.split("-");
      return { days, startTime, endTime };
    }),
    isDefault: false,
    overrides: [],
  };
}

/** The schedule's owner: the event type's owner, or for a team event type its first host. */
const scheduleOwnerId = (et: SandboxEventType) => et.ownerId ?? et.hostUserIds[0] ?? null;

// GET /v2/schedules/{id} (2024-06-11) – §8.6: `checkUserOwnsSchedule` answers 403 to anyone but the owner. With the
// `scheduleOwnerOnly` setting off, team admins may read it too (the older demo behaviour).
export async function handleGetSchedule(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const id = parseIntParam(params[0]);
  const et = await getEventType(ctx.db, id);
  if (!et) throw new SandboxHttpError(404, `Schedule with id=${id} not found`);
  const isOwner = scheduleOwnerId(et) === user.id;
  const role = et.teamId !== null ? await getMembershipRole(ctx.db, et.teamId, user.id) : null;
  const isAdmin = role === "ADMIN" || role === "OWNER";
  if (!isOwner && ((await readFidelity(ctx.db)).scheduleOwnerOnly || !isAdmin)) {
    throw new SandboxHttpError(403, `User with id=${user.id} does not own schedule with id=${id}`);
  }
  return success(scheduleOutput(et));
}
