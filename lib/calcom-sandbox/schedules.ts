import type { SandboxEventType } from "@/drizzle/schema/sandbox";
import { requireAuthUser, SandboxHttpError, success, type SandboxContext } from "./http";
import { parseIntParam } from "./params";
import { getEventType, isTeamMember } from "./store";

/**
 * GET /v2/schedules/{id} (2024-06-11). The sandbox keeps one schedule per event type, so a schedule's id is its
 * event type's id (the event type output carries it as `scheduleId`). Readable by the owner and by team members.
 */

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** ScheduleOutput_2024_06_11: weekly hours grouped by identical ranges, no overrides. */
export function scheduleOutput(et: SandboxEventType) {
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

// GET /v2/schedules/{id} (2024-06-11) – one schedule, for its owner or a member of the event type's team
export async function handleGetSchedule(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const id = parseIntParam(params[0]);
  const et = await getEventType(ctx.db, id);
  const canRead = et && (et.ownerId === user.id || (et.teamId !== null && (await isTeamMember(ctx.db, et.teamId, user.id))));
  if (!et || !canRead) throw new SandboxHttpError(404, `Schedule with id=${id} not found`);
  return success(scheduleOutput(et));
}
