import "server-only";
import { z } from "zod";
import type { CalcomHttp } from "@/lib/calcom/client";
import { getEventTypeReadable, listBookings, listTeamEventTypes } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import type { CalcomEventType } from "@/lib/calcom/schemas";
import type { DebugBooking } from "./context";
import type { BookingWindow, ReasonEventType } from "./reasons";
import type { SlotSchedule } from "./schedule";

/** Loads what the reason engine needs from Cal.com: event type settings, its schedule, bookings around the range. */

const scheduleSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullable().optional(),
  timeZone: z.string(),
  availability: z.array(z.looseObject({ days: z.array(z.string()), startTime: z.string(), endTime: z.string() })),
  overrides: z.array(z.looseObject({ date: z.string(), startTime: z.string(), endTime: z.string() })).default([]),
});

/** GET /v2/schedules/{id} (cal-api-version 2024-06-11, contract §1). */
async function getSchedule(http: CalcomHttp, scheduleId: number): Promise<SlotSchedule> {
  const { data } = await http.request({
    family: "schedules",
    method: "GET",
    pathTemplate: "/v2/schedules/{id}",
    params: { id: scheduleId },
    schema: scheduleSchema,
  });
  return {
    id: data.id,
    name: data.name ?? null,
    timeZone: data.timeZone,
    availability: data.availability,
    overrides: data.overrides,
  };
}

const windowSchema = z.union([
  z.looseObject({ type: z.enum(["calendarDays", "businessDays"]), value: z.number() }),
  z.looseObject({ type: z.literal("range"), value: z.tuple([z.string(), z.string()]) }),
]);
const hostsSchema = z.array(z.looseObject({ userId: z.number() }));

/** Cal.com's bookingWindow ({type, value, rolling} or {disabled:true}) as the engine's window. */
function toBookingWindow(raw: unknown): BookingWindow {
  const parsed = windowSchema.safeParse(raw);
  if (!parsed.success) return null;
  const w = parsed.data;
  if (w.type === "range") return { type: "range", from: w.value[0].slice(0, 10), to: w.value[1].slice(0, 10) };
  return { type: w.type, days: w.value };
}

export function toReasonEventType(et: CalcomEventType): ReasonEventType {
  const hosts = hostsSchema.safeParse((et as Record<string, unknown>).hosts);
  return {
    id: et.id,
    lengthInMinutes: et.lengthInMinutes,
    minimumBookingNotice: et.minimumBookingNotice ?? 0,
    beforeEventBuffer: et.beforeEventBuffer ?? 0,
    afterEventBuffer: et.afterEventBuffer ?? 0,
    slotInterval: et.slotInterval ?? null,
    hidden: et.hidden ?? false,
    bookingWindow: toBookingWindow(et.bookingWindow),
    hostIds: hosts.success ? hosts.data.map((h) => h.userId) : [],
    schedulingType: et.schedulingType ?? null,
  };
}

function describeFailure(what: string, error: unknown): string {
  if (error instanceof CalcomError && error.calCode === "CAL-016")
    return `${what}: CAL-016 this key lacks access to it (${error.message}). ${error.hint}`;
  if (error instanceof CalcomError)
    return `${what}: ${error.calCode} ${error.status ?? ""} ${error.message}`.replace(/\s+/g, " ");
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

export type LoadedContext = {
  eventType: CalcomEventType | null;
  schedule: SlotSchedule | null;
  bookings: DebugBooking[];
  warnings: string[];
};

/** Each part is best effort: a failure becomes a warning, so the debugger still answers with what it has. */
export async function loadCalcomContext(
  http: CalcomHttp,
  opts: { eventTypeId: number; from: Date; to: Date },
): Promise<LoadedContext> {
  const warnings: string[] = [];
  // A key without access to the event type (§8.6, CAL-016) still reads it from the team list; a 403 on the schedule
  // only drops the working-hours check (a warning naming CAL-016), the rest of the debugger answers.
  const eventType = await getEventTypeReadable(http, opts.eventTypeId).then(
    (r) => r.data,
    (e: unknown) => (warnings.push(describeFailure("Event type settings", e)), null),
  );
  const scheduleId = z.number().safeParse((eventType as Record<string, unknown> | null)?.scheduleId);
  let schedule: SlotSchedule | null = null;
  if (scheduleId.success) {
    schedule = await getSchedule(http, scheduleId.data).catch(
      (e: unknown) => (warnings.push(describeFailure("Schedule", e)), null),
    );
  } else if (eventType) {
    warnings.push(
      "The event type has no scheduleId (hosts' default schedules apply): working hours cannot be checked.",
    );
  }
  const teamId = http.target.teamId;
  const bookings = await listBookings(http, {
    status: ["upcoming", "past"],
    ...(eventType?.teamId && teamId ? { teamsIds: [teamId] } : { eventTypeIds: [opts.eventTypeId] }),
    afterStart: new Date(opts.from.getTime() - 86_400_000),
    beforeEnd: new Date(opts.to.getTime() + 86_400_000),
    take: 250,
  }).then(
    (r) => r.data,
    (e: unknown) => (warnings.push(describeFailure("Bookings", e)), []),
  );
  // Other event types' buffers apply to their own bookings; the team list is cached, so this is cheap.
  const buffers = new Map<number, { before: number; after: number }>();
  if (eventType)
    buffers.set(eventType.id, { before: eventType.beforeEventBuffer ?? 0, after: eventType.afterEventBuffer ?? 0 });
  if (bookings.some((b) => (b.eventType?.id ?? b.eventTypeId) !== opts.eventTypeId) && teamId) {
    const list = await listTeamEventTypes(http).then(
      (r) => r.data,
      () => [],
    );
    for (const et of list) buffers.set(et.id, { before: et.beforeEventBuffer ?? 0, after: et.afterEventBuffer ?? 0 });
  }
  const hostIds = z.array(z.looseObject({ id: z.number() }));
  return {
    eventType,
    schedule,
    warnings,
    bookings: bookings.map((b) => {
      const etId = b.eventType?.id ?? b.eventTypeId ?? null;
      const hosts = hostIds.safeParse((b as Record<string, unknown>).hosts);
      const buffer = (etId !== null ? buffers.get(etId) : undefined) ?? { before: 0, after: 0 };
      return {
        uid: b.uid,
        start: new Date(b.start).toISOString(),
        end: new Date(b.end).toISOString(),
        status: b.status,
        hostIds: hosts.success ? hosts.data.map((h) => h.id) : [],
        beforeBuffer: buffer.before,
        afterBuffer: buffer.after,
        title: b.title ?? null,
        eventTypeId: etId,
      };
    }),
  };
}
