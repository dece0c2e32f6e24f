import { zonedDateKey, zonedToUtc } from "@/lib/time/zoned";

/**
 * A Cal.com schedule (GET /v2/schedules/{id}, 2024-06-11): weekly availability in its own time zone plus date
 * overrides that replace a day's hours. Pure helpers, shared by the reason engine and the panel.
 */

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type SlotSchedule = {
  id?: number | null;
  name?: string | null;
  timeZone: string;
  availability: { days: string[]; startTime: string; endTime: string }[];
  /** Replace the weekly hours of that local date; an empty range (00:00-00:00) means closed all day. */
  overrides: { date: string; startTime: string; endTime: string }[];
};

export type Range = { start: Date; end: Date };

const DAY = 86_400_000;

function clock(value: string): { hour: number; minute: number } {
  const [h, m] = value.split(":").map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

export function weekdayOfDateKey(key: string): Weekday {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return WEEKDAYS[(day + 6) % 7]!;
}

/** Shift a YYYY-MM-DD key by whole days (calendar arithmetic, no zone involved). */
export function addDaysToKey(key: string, days: number): string {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}

function toInstant(key: string, time: string, timeZone: string): Date {
  const [year, month, day] = key.split("-").map(Number) as [number, number, number];
  // "24:00" is the end of the day: midnight of the next date.
  if (time === "24:00") return toInstant(addDaysToKey(key, 1), "00:00", timeZone);
  return zonedToUtc({ year, month, day, ...clock(time) }, timeZone);
}

/** Local midnight at the start of a YYYY-MM-DD date in the zone. */
export function startOfDateKey(key: string, timeZone: string): Date {
  return toInstant(key, "00:00", timeZone);
}

/** The working ranges of one local date of the schedule (overrides win over the weekly hours). */
export function rangesOfDate(schedule: SlotSchedule, key: string): Range[] {
  const overrides = schedule.overrides.filter((o) => o.date === key);
  const source = overrides.length
    ? overrides
    : schedule.availability.filter((a) => a.days.includes(weekdayOfDateKey(key)));
  return source
    .map((r) => ({
      start: toInstant(key, r.startTime, schedule.timeZone),
      end: toInstant(key, r.endTime, schedule.timeZone),
    }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Working ranges of every local date that may touch [from, to]. */
export function workingRanges(schedule: SlotSchedule, from: Date, to: Date): Range[] {
  const first = zonedDateKey(new Date(from.getTime() - DAY), schedule.timeZone);
  const last = zonedDateKey(new Date(to.getTime() + DAY), schedule.timeZone);
  const out: Range[] = [];
  for (let key = first; key <= last; key = addDaysToKey(key, 1)) out.push(...rangesOfDate(schedule, key));
  return out;
}

/** A compact human text of the weekly hours, e.g. "Mon-Fri 09:00-18:00, Sat 09:00-14:00 (Europe/Berlin)". */
export function describeSchedule(schedule: SlotSchedule): string {
  const parts = schedule.availability.map(
    (a) => `${a.days.map((d) => d.slice(0, 3)).join(",")} ${a.startTime}-${a.endTime}`,
  );
  return `${parts.join("; ") || "no weekly hours"} (${schedule.timeZone})`;
}
