import type { SandboxSchedule } from "@/drizzle/schema/sandbox";
import { zonedDateKey, zonedToUtc } from "@/lib/time/zoned";

/**
 * Availability as the sandbox models Cal.com's: the event type's weekly hours in its own zone, a slot grid every
 * `slotInterval` (default: the length) from the start of each working range, minimum notice, a rolling booking
 * window, and hosts made busy by accepted/pending bookings widened by both sides' buffers. Pure: no database.
 */

export type EngineEventType = {
  lengthInMinutes: number;
  slotInterval: number | null;
  beforeEventBuffer: number;
  afterEventBuffer: number;
  minimumBookingNotice: number;
  bookingWindowDays: number | null;
  schedule: SandboxSchedule;
  hostUserIds: number[];
  /** "collective": every host must be free; otherwise (round robin, personal) one free host is enough. */
  schedulingType: string | null;
};

export type BusyBooking = {
  uid: string;
  start: Date;
  end: Date;
  hostIds: number[];
  beforeBuffer: number;
  afterBuffer: number;
};

const MINUTE = 60_000;
const DAY = 86_400_000;

function parseClock(value: string): { hour: number; minute: number } {
  const [h, m] = value.split(":").map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

function isoWeekdayOfDateKey(key: string): number {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Working ranges (UTC instants) of every local day that may touch [from, to]. */
function workingRanges(schedule: SandboxSchedule, from: Date, to: Date): { start: Date; end: Date }[] {
  const ranges: { start: Date; end: Date }[] = [];
  const seen = new Set<string>();
  for (let t = from.getTime() - DAY; t <= to.getTime() + DAY; t += DAY / 2) {
    const key = zonedDateKey(new Date(t), schedule.timeZone);
    if (seen.has(key)) continue;
    seen.add(key);
    const [year, month, day] = key.split("-").map(Number) as [number, number, number];
    for (const [a, b] of schedule.weekly[String(isoWeekdayOfDateKey(key))] ?? []) {
      const start = zonedToUtc({ year, month, day, ...parseClock(a) }, schedule.timeZone);
      const end = zonedToUtc({ year, month, day, ...parseClock(b) }, schedule.timeZone);
      if (end > start) ranges.push({ start, end });
    }
  }
  return ranges.sort((x, y) => x.start.getTime() - y.start.getTime());
}

function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/** Hosts free for [start, start+length], with the candidate's buffers and each booking's own buffers applied. */
function freeHosts(eventType: EngineEventType, start: Date, lengthMinutes: number, bookings: BusyBooking[]): number[] {
  const from = start.getTime() - eventType.beforeEventBuffer * MINUTE;
  const to = start.getTime() + (lengthMinutes + eventType.afterEventBuffer) * MINUTE;
  return eventType.hostUserIds.filter(
    (host) =>
      !bookings.some(
        (b) =>
          b.hostIds.includes(host) &&
          overlaps(from, to, b.start.getTime() - b.beforeBuffer * MINUTE, b.end.getTime() + b.afterBuffer * MINUTE),
      ),
  );
}

/** The hosts a booking at `start` would get, or null when nobody (or, for collective, not everybody) is free. */
export function assignHosts(
  eventType: EngineEventType,
  start: Date,
  lengthMinutes: number,
  bookings: BusyBooking[],
): number[] | null {
  const free = freeHosts(eventType, start, lengthMinutes, bookings);
  if (eventType.schedulingType === "collective")
    return free.length === eventType.hostUserIds.length && free.length > 0 ? free : null;
  return free.length > 0 ? [free[0]!] : null;
}

function isWithinWorkingHours(schedule: SandboxSchedule, start: Date, lengthMinutes: number): boolean {
  const end = new Date(start.getTime() + lengthMinutes * MINUTE);
  return workingRanges(schedule, start, end).some((r) => r.start <= start && end <= r.end);
}

function earliestBookable(eventType: EngineEventType, now: Date): Date {
  return new Date(now.getTime() + eventType.minimumBookingNotice * MINUTE);
}

function latestBookable(eventType: EngineEventType, now: Date): Date | null {
  return eventType.bookingWindowDays === null ? null : new Date(now.getTime() + eventType.bookingWindowDays * DAY);
}

/** Slot starts inside [from, to] (inclusive), in time order. */
export function computeSlots(opts: {
  eventType: EngineEventType;
  lengthMinutes: number;
  from: Date;
  to: Date;
  now: Date;
  bookings: BusyBooking[];
}): Date[] {
  const { eventType, lengthMinutes, from, to, now, bookings } = opts;
  const step = (eventType.slotInterval ?? lengthMinutes) * MINUTE;
  const earliest = earliestBookable(eventType, now).getTime();
  const latest = latestBookable(eventType, now)?.getTime() ?? Number.POSITIVE_INFINITY;
  const slots: Date[] = [];
  const seen = new Set<number>();
  if (step <= 0 || to < from) return slots;
  for (const range of workingRanges(eventType.schedule, from, to)) {
    for (let t = range.start.getTime(); t + lengthMinutes * MINUTE <= range.end.getTime(); t += step) {
      if (t < from.getTime() || t > to.getTime() || t < earliest || t >= latest || seen.has(t)) continue;
      const start = new Date(t);
      if (!assignHosts(eventType, start, lengthMinutes, bookings)) continue;
      seen.add(t);
      slots.push(start);
    }
  }
  return slots.sort((a, b) => a.getTime() - b.getTime());
}

export type BookableVerdict =
  { ok: true; hostIds: number[] } | { ok: false; reason: "past" | "out-of-bounds" | "unavailable" };

/** Cal.com's order of checks on create and reschedule: past, then notice/window, then hours and conflicts. */
export function checkBookable(opts: {
  eventType: EngineEventType;
  start: Date;
  lengthMinutes: number;
  now: Date;
  bookings: BusyBooking[];
}): BookableVerdict {
  const { eventType, start, lengthMinutes, now, bookings } = opts;
  if (start < now) return { ok: false, reason: "past" };
  const latest = latestBookable(eventType, now);
  if (start < earliestBookable(eventType, now) || (latest && start >= latest))
    return { ok: false, reason: "out-of-bounds" };
  if (!isWithinWorkingHours(eventType.schedule, start, lengthMinutes)) return { ok: false, reason: "unavailable" };
  const hostIds = assignHosts(eventType, start, lengthMinutes, bookings);
  return hostIds ? { ok: true, hostIds } : { ok: false, reason: "unavailable" };
}
