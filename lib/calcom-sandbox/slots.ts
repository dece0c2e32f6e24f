import type { SandboxEventType } from "@/drizzle/schema/sandbox";
import { toZonedIso, zonedDateKey } from "@/lib/time/zoned";
import { MSG } from "./constants";
import {
  badRequest,
  fieldError,
  globalPipeError,
  jsonResponse,
  notAllowed,
  notFound,
  pipeValidationError,
  type FieldError,
  type SandboxContext,
} from "./http";
import { isDateOnly, isTimeZone, jsParseInt, parseIsoDate } from "./params";
import { seatedBookings, uidsWithFreeSeats, type SeatCount } from "./seats";
import { computeSlots } from "./slots-engine";
import {
  getEventType,
  getTeamBySlug,
  getTeamEventTypeBySlug,
  getUserByUsername,
  getUserEventTypeBySlug,
  loadBusyBookings,
} from "./store";

const BASE_KEYS = [
  "start",
  "end",
  "timeZone",
  "duration",
  "format",
  "bookingUidToReschedule",
  "rrHostSubsetIds",
  "type",
];
const MODE_KEYS = {
  id: ["eventTypeId"],
  user: ["eventTypeSlug", "username", "organizationSlug"],
  team: ["eventTypeSlug", "teamSlug", "organizationSlug"],
  usernames: ["usernames", "organizationSlug"],
} as const;
type Mode = keyof typeof MODE_KEYS;
const MAX_RANGE_MS = 366 * 86_400_000;

/** The pipe picks the input class from the keys present; every other key is then a 400 (forbidNonWhitelisted). */
function slotsMode(query: URLSearchParams): Mode {
  if (query.has("eventTypeId")) return "id";
  if (query.has("username") && query.has("eventTypeSlug")) return "user";
  if (query.has("teamSlug") && query.has("eventTypeSlug")) return "team";
  return "usernames";
}

function slotsErrors(query: URLSearchParams, mode: Mode): FieldError[] {
  const allowed = new Set<string>([...BASE_KEYS, ...MODE_KEYS[mode]]);
  const errors = [...new Set(query.keys())].filter((k) => !allowed.has(k)).map(notAllowed);
  if (mode === "id" && jsParseInt(query.get("eventTypeId")) === null) {
    errors.push(
      fieldError("eventTypeId", { isNumber: "eventTypeId must be a number conforming to the specified constraints" }),
    );
  }
  if (mode === "usernames") {
    const names = query.get("usernames");
    if (!names || names.split(",").length < 2)
      errors.push(fieldError("usernames", { arrayMinSize: "The array must contain at least 2 elements." }));
    if (!query.get("organizationSlug"))
      errors.push(fieldError("organizationSlug", { isString: "organizationSlug must be a string" }));
  }
  for (const name of ["start", "end"]) {
    if (!parseIsoDate(query.get(name)))
      errors.push(fieldError(name, { isDateString: `${name} must be a valid ISO 8601 date string` }));
  }
  const zone = query.get("timeZone");
  if (zone !== null && !isTimeZone(zone))
    errors.push(fieldError("timeZone", { isTimeZone: "timeZone must be a valid IANA time-zone" }));
  const duration = query.get("duration");
  if (duration !== null && jsParseInt(duration) === null) {
    errors.push(
      fieldError("duration", { isNumber: "duration must be a number conforming to the specified constraints" }),
    );
  }
  const format = (query.get("format") ?? "").toLowerCase();
  if (format && format !== "range" && format !== "time")
    errors.push(fieldError("format", { isIn: "slotFormat must be either 'range' or 'time'" }));
  return errors;
}

async function findEventType(ctx: SandboxContext, mode: Mode): Promise<SandboxEventType> {
  const q = ctx.query;
  if (mode === "id") {
    const et = await getEventType(ctx.db, jsParseInt(q.get("eventTypeId"))!);
    if (!et) throw notFound(MSG.slotsEventTypeNotFound);
    return et;
  }
  const slug = q.get("eventTypeSlug") ?? "";
  if (mode === "user") {
    const username = q.get("username") ?? "";
    const user = await getUserByUsername(ctx.db, username);
    if (!user) throw notFound(`User with username ${username} not found`);
    const et = await getUserEventTypeBySlug(ctx.db, user.id, slug);
    if (!et) throw notFound(MSG.slotsEventTypeNotFound);
    return et;
  }
  if (mode === "team") {
    const teamSlug = q.get("teamSlug") ?? "";
    const team = await getTeamBySlug(ctx.db, teamSlug);
    if (!team) throw notFound(`Team with slug ${teamSlug} not found`);
    const et = await getTeamEventTypeBySlug(ctx.db, team.id, slug);
    if (!et) throw notFound(MSG.slotsEventTypeNotFound);
    return et;
  }
  // Dynamic group events across several users are not modelled.
  throw notFound(MSG.slotsEventTypeNotFound);
}

/** Luxon's toISO(): "Z" for UTC, otherwise the zone's offset, always with milliseconds. */
function renderSlotTime(date: Date, timeZone: string): string {
  return /^(utc|etc\/utc|gmt|etc\/gmt|z)$/i.test(timeZone) ? date.toISOString() : toZonedIso(date, timeZone);
}

async function slotStarts(
  ctx: SandboxContext,
  et: SandboxEventType,
  opts: { from: Date; to: Date; length: number; excludeUid: string | null },
) {
  const to = new Date(Math.min(opts.to.getTime(), opts.from.getTime() + MAX_RANGE_MS));
  // §8.8 seated event types: a slot whose booking still has a free seat stays offered.
  const seats = await seatedBookings(ctx.db, et, opts.from, to);
  const open = uidsWithFreeSeats(seats);
  const busy = await loadBusyBookings(ctx.db, {
    hostIds: et.hostUserIds,
    from: opts.from,
    to,
    excludeUid: opts.excludeUid,
  });
  const bookings = busy.filter((b) => !open.has(b.uid));
  return {
    starts: computeSlots({ eventType: et, lengthMinutes: opts.length, from: opts.from, to, now: ctx.now, bookings }),
    seats,
  };
}

type SlotItem = {
  start: string;
  end?: string;
  seatsBooked?: number;
  seatsRemaining?: number;
  seatsTotal?: number;
  bookingUid?: string;
};

function seatFields(et: SandboxEventType, seat: SeatCount | undefined): Partial<SlotItem> {
  if (!et.seatsPerTimeSlot) return {};
  const booked = seat?.booked ?? 0;
  return {
    seatsBooked: booked,
    seatsRemaining: et.seatsPerTimeSlot - booked,
    seatsTotal: et.seatsPerTimeSlot,
    ...(seat ? { bookingUid: seat.uid } : {}),
  };
}

function windowEnd(raw: string, parsed: Date): Date {
  // A date-only end means the end of that (UTC) day.
  return isDateOnly(raw) ? new Date(parsed.getTime() + 86_399_000) : parsed;
}

// GET /v2/slots (2024-09-04) – available starts keyed by date in the requested zone
export async function handleGetSlots(ctx: SandboxContext): Promise<Response> {
  const q = ctx.query;
  const mode = slotsMode(q);
  const errors = slotsErrors(q, mode);
  // §2 / §8.1: GetSlotsInputPipe refuses with one flat string (forbidNonWhitelisted), no details.errors[].
  if (errors.length) throw pipeValidationError(errors);
  const et = await findEventType(ctx, mode);
  const from = parseIsoDate(q.get("start"))!;
  const to = windowEnd(q.get("end")!, parseIsoDate(q.get("end"))!);
  const timeZone = q.get("timeZone") || "UTC";
  const isRange = (q.get("format") ?? "").toLowerCase() === "range";
  const duration = jsParseInt(q.get("duration"));
  const length = duration && duration > 0 ? duration : et.lengthInMinutes;
  const data: Record<string, SlotItem[]> = {};
  if (to >= from) {
    const { starts, seats } = await slotStarts(ctx, et, {
      from,
      to,
      length,
      excludeUid: q.get("bookingUidToReschedule"),
    });
    for (const start of starts) {
      const item: SlotItem = { start: renderSlotTime(start, timeZone) };
      if (isRange) item.end = renderSlotTime(new Date(start.getTime() + length * 60_000), timeZone);
      Object.assign(item, seatFields(et, seats.get(start.getTime())));
      (data[zonedDateKey(start, timeZone)] ??= []).push(item);
    }
  }
  // The slots controller builds { data, status }: same content, other key order.
  return jsonResponse(200, { data, status: "success" });
}

// GET /v2/slots/available (legacy 2024-04-15 … 2024-08-13) – { slots: { date: [{ time }] } }
export async function handleLegacySlots(ctx: SandboxContext): Promise<Response> {
  const q = ctx.query;
  const errors: FieldError[] = [];
  for (const name of ["startTime", "endTime"]) {
    if (!parseIsoDate(q.get(name)))
      errors.push(fieldError(name, { isDateString: `${name} must be a valid ISO 8601 date string` }));
  }
  const zone = q.get("timeZone");
  if (zone !== null && !isTimeZone(zone))
    errors.push(fieldError("timeZone", { isTimeZone: "timeZone must be a valid IANA time-zone" }));
  const slotFormat = q.get("slotFormat");
  if (slotFormat !== null && slotFormat !== "range" && slotFormat !== "time") {
    errors.push(fieldError("slotFormat", { isEnum: "slotFormat must be one of the following values: range, time" }));
  }
  if (errors.length) throw globalPipeError(errors);
  const from = parseIsoDate(q.get("startTime"))!;
  const to = windowEnd(q.get("endTime")!, parseIsoDate(q.get("endTime"))!);
  if (to < from) throw badRequest(MSG.legacyBadRange);
  let et: SandboxEventType | null = null;
  const id = jsParseInt(q.get("eventTypeId"));
  if (id !== null) et = await getEventType(ctx.db, id);
  else if (q.get("eventTypeSlug")) {
    const username = q.get("usernameList[]") ?? q.get("usernameList");
    const user = username ? await getUserByUsername(ctx.db, username) : null;
    et = user ? await getUserEventTypeBySlug(ctx.db, user.id, q.get("eventTypeSlug")!) : null;
  }
  if (!et) throw notFound(MSG.slotsEventTypeNotFound);
  const timeZone = zone || "UTC";
  const duration = jsParseInt(q.get("duration"));
  const length = duration && duration > 0 ? duration : et.lengthInMinutes;
  const slots: Record<string, Record<string, string>[]> = {};
  for (const start of (await slotStarts(ctx, et, { from, to, length, excludeUid: q.get("rescheduleUid") })).starts) {
    const item: Record<string, string> =
      slotFormat === "range"
        ? {
            startTime: renderSlotTime(start, timeZone),
            endTime: renderSlotTime(new Date(start.getTime() + length * 60_000), timeZone),
          }
        : { time: renderSlotTime(start, timeZone) };
    (slots[zonedDateKey(start, timeZone)] ??= []).push(item);
  }
  return jsonResponse(200, { status: "success", data: { slots } });
}
