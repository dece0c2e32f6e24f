import { toZonedIso, zonedDateKey } from "@/lib/time/zoned";
import {
  addDaysToKey,
  describeSchedule,
  rangesOfDate,
  startOfDateKey,
  workingRanges,
  type SlotSchedule,
} from "./schedule";

/**
 * The reason engine: why a requested start is not (or should not be) offered. Pure: event type settings, the
 * schedule, existing bookings and "now" in, reasons out, most important first (the order the issue asks for):
 * past, minimum notice, outside the schedule (or off the slot grid), a booking's buffer, already booked, outside the
 * booking window, event type hidden, service inactive locally, circuit open.
 */

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is used
const REASON_CODES = [
  "past",
  "minimum-notice",
  "outside-schedule",
  "off-grid",
  "buffer",
  "booked",
  "booking-window",
  "hidden",
  "service-inactive",
  "circuit-open",
] as const;
type ReasonCode = (typeof REASON_CODES)[number];
export type Reason = { code: ReasonCode; title: string; detail: string };

export type BookingWindow =
  { type: "calendarDays" | "businessDays"; days: number } | { type: "range"; from: string; to: string } | null;

export type ReasonEventType = {
  id: number;
  lengthInMinutes: number;
  minimumBookingNotice: number;
  beforeEventBuffer: number;
  afterEventBuffer: number;
  slotInterval: number | null;
  hidden: boolean;
  bookingWindow: BookingWindow;
  /** Team hosts; empty = one calendar (a personal event type). */
  hostIds: number[];
  /** "collective": every host must be free; otherwise one free host is enough. */
  schedulingType: string | null;
};

export type ReasonBooking = {
  uid: string;
  start: Date;
  end: Date;
  hostIds: number[];
  /** Buffers of the booking's own event type. */
  beforeBuffer: number;
  afterBuffer: number;
  title?: string | null;
};

export type ReasonInput = {
  at: Date;
  now: Date;
  /** Zone used to print times in the reasons (the debugger's). */
  timeZone: string;
  eventType: ReasonEventType | null;
  schedule: SlotSchedule | null;
  bookings: ReasonBooking[];
  /** Length asked for (multi-duration); defaults to the event type's. */
  lengthInMinutes?: number;
  serviceActive: boolean | null;
  circuitState: "closed" | "open" | "half_open" | null;
};

const MINUTE = 60_000;
const TITLES: Record<ReasonCode, string> = {
  past: "In the past",
  "minimum-notice": "Inside the minimum booking notice",
  "outside-schedule": "Outside the schedule",
  "off-grid": "Not on the slot grid",
  buffer: "Inside a buffer of another booking",
  booked: "Already booked",
  "booking-window": "Outside the booking window",
  hidden: "Event type hidden",
  "service-inactive": "Service inactive locally",
  "circuit-open": "Circuit open",
};

const at = (d: Date, tz: string) => toZonedIso(d, tz).slice(0, 16).replace("T", " ");
const hm = (d: Date, tz: string) => toZonedIso(d, tz).slice(11, 16);
const reason = (code: ReasonCode, detail: string): Reason => ({ code, title: TITLES[code], detail });

/** The last instant still inside the booking window (exclusive), or null when unlimited. */
export function bookingWindowEnd(window: BookingWindow, now: Date, timeZone: string): Date | null {
  if (!window) return null;
  if (window.type === "calendarDays") return new Date(now.getTime() + window.days * 86_400_000);
  if (window.type === "range") return rangeEdge(window.to, timeZone, 1);
  // Business days: count Mon-Fri forward from today; the window ends at midnight after the last one.
  let key = zonedDateKey(now, timeZone);
  for (let left = window.days; left > 0;) {
    key = addDaysToKey(key, 1);
    const [y, m, d] = key.split("-").map(Number) as [number, number, number];
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return rangeEdge(key, timeZone, 1);
}

function rangeEdge(key: string, timeZone: string, addDays: number): Date {
  return startOfDateKey(addDaysToKey(key, addDays), timeZone);
}

function scheduleReasons(input: ReasonInput, et: ReasonEventType | null, length: number): Reason[] {
  const { schedule, timeZone } = input;
  if (!schedule) return [];
  const start = input.at;
  const end = new Date(start.getTime() + length * MINUTE);
  const ranges = workingRanges(schedule, start, end);
  const inside = ranges.find((r) => r.start <= start && end <= r.end);
  if (!inside) {
    const key = zonedDateKey(start, schedule.timeZone);
    const today = rangesOfDate(schedule, key);
    const hours = today.length
      ? today.map((r) => `${hm(r.start, schedule.timeZone)}-${hm(r.end, schedule.timeZone)}`).join(", ")
      : "closed";
    const override = schedule.overrides.some((o) => o.date === key) ? " (a date override)" : "";
    return [
      reason(
        "outside-schedule",
        `${at(start, timeZone)}-${hm(end, timeZone)} is not inside the working hours of ${key}: ${hours}${override}, schedule ${describeSchedule(schedule)}.`,
      ),
    ];
  }
  const step = (et?.slotInterval ?? length) * MINUTE;
  const offset = start.getTime() - inside.start.getTime();
  if (step > 0 && offset % step !== 0) {
    const before = new Date(inside.start.getTime() + Math.floor(offset / step) * step);
    const after = new Date(before.getTime() + step);
    return [
      reason(
        "off-grid",
        `Slots start every ${step / MINUTE} min from ${hm(inside.start, timeZone)}; the nearest starts are ${hm(before, timeZone)} and ${hm(after, timeZone)}.`,
      ),
    ];
  }
  return [];
}

type HostBlock = { direct: ReasonBooking[]; buffered: ReasonBooking[] };

function blocksFor(
  input: ReasonInput,
  et: ReasonEventType | null,
  length: number,
  bookings: ReasonBooking[],
): HostBlock {
  const s = input.at.getTime();
  const e = s + length * MINUTE;
  const from = s - (et?.beforeEventBuffer ?? 0) * MINUTE;
  const to = e + (et?.afterEventBuffer ?? 0) * MINUTE;
  const direct = bookings.filter((b) => s < b.end.getTime() && b.start.getTime() < e);
  const buffered = bookings.filter(
    (b) =>
      !direct.includes(b) &&
      from < b.end.getTime() + b.afterBuffer * MINUTE &&
      b.start.getTime() - b.beforeBuffer * MINUTE < to,
  );
  return { direct, buffered };
}

function bookingReasons(input: ReasonInput, et: ReasonEventType | null, length: number): Reason[] {
  const hosts = et?.hostIds.length ? et.hostIds : [null];
  const perHost = hosts.map((host) =>
    blocksFor(
      input,
      et,
      length,
      host === null ? input.bookings : input.bookings.filter((b) => b.hostIds.length === 0 || b.hostIds.includes(host)),
    ),
  );
  const isBlocked = (h: HostBlock) => h.direct.length > 0 || h.buffered.length > 0;
  const collective = et?.schedulingType === "collective";
  const blocked = collective ? perHost.some(isBlocked) : perHost.every(isBlocked);
  if (!blocked) return [];
  const relevant = perHost.filter(isBlocked);
  const tz = input.timeZone;
  const describe = (b: ReasonBooking) =>
    `${b.uid} ${at(b.start, tz)}-${hm(b.end, tz)}${b.title ? ` "${b.title}"` : ""}`;
  const uniq = (list: ReasonBooking[]) => [...new Map(list.map((b) => [b.uid, b])).values()];
  const direct = uniq(relevant.flatMap((h) => h.direct));
  const buffered = uniq(relevant.flatMap((h) => h.buffered));
  const who =
    hosts.length > 1
      ? collective
        ? " (collective: every host must be free)"
        : ` (all ${hosts.length} hosts are busy)`
      : "";
  const out: Reason[] = [];
  if (buffered.length) {
    out.push(
      reason(
        "buffer",
        `With ${et?.beforeEventBuffer ?? 0} min before / ${et?.afterEventBuffer ?? 0} min after, the time collides with the buffers of ${buffered.map(describe).join("; ")}${who}.`,
      ),
    );
  }
  if (direct.length) out.push(reason("booked", `Overlaps ${direct.map(describe).join("; ")}${who}.`));
  return out;
}

/** Reasons a start is not offered (or should not be taken), most important first; [] when nothing is against it. */
export function explainTime(input: ReasonInput): Reason[] {
  const { now, timeZone } = input;
  const et = input.eventType;
  const length = input.lengthInMinutes ?? et?.lengthInMinutes ?? 30;
  const out: Reason[] = [];
  if (input.at < now) out.push(reason("past", `${at(input.at, timeZone)} is before now (${at(now, timeZone)}).`));
  else if (et && et.minimumBookingNotice > 0) {
    const earliest = new Date(now.getTime() + et.minimumBookingNotice * MINUTE);
    if (input.at < earliest)
      out.push(
        reason(
          "minimum-notice",
          `Needs ${et.minimumBookingNotice} min notice: the earliest start now is ${at(earliest, timeZone)}.`,
        ),
      );
  }
  out.push(...scheduleReasons(input, et, length));
  out.push(...bookingReasons(input, et, length));
  const windowEnd = et ? bookingWindowEnd(et.bookingWindow, now, input.schedule?.timeZone ?? timeZone) : null;
  if (
    et?.bookingWindow?.type === "range" &&
    input.at < rangeEdge(et.bookingWindow.from, input.schedule?.timeZone ?? timeZone, 0)
  ) {
    out.push(reason("booking-window", `Bookable only from ${et.bookingWindow.from} to ${et.bookingWindow.to}.`));
  } else if (windowEnd && input.at >= windowEnd) {
    const w = et!.bookingWindow!;
    const text =
      w.type === "range"
        ? `from ${w.from} to ${w.to}`
        : `${w.days} ${w.type === "businessDays" ? "business" : "calendar"} days ahead (until ${at(windowEnd, timeZone)})`;
    out.push(reason("booking-window", `Bookable only ${text}.`));
  }
  if (et?.hidden)
    out.push(reason("hidden", `Event type ${et.id} is hidden: not listed publicly, callers should not be offered it.`));
  if (input.serviceActive === false)
    out.push(reason("service-inactive", "The local service is inactive: the phone agent will not offer or book it."));
  if (input.circuitState === "open")
    out.push(
      reason(
        "circuit-open",
        "Calls to Cal.com are paused for this company (CAL-013); bookings go to the manual queue.",
      ),
    );
  return out;
}
