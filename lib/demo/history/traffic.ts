import "server-only";
import { eq } from "drizzle-orm";
import { appointments } from "@/drizzle/schema/core";
import { getAvailability } from "@/lib/booking/availability";
import { bookAppointment } from "@/lib/booking/book";
import { cancelByUid, rescheduleByUid } from "@/lib/booking/manage";
import { AppError } from "@/lib/errors";
import { runSync } from "@/lib/sync/sync";
import * as clock from "@/lib/time/clock";
import { zonedDateKey, zonedToUtc, zonedWeekday } from "@/lib/time/zoned";
import { bump, PHONE, SCHEDULE, TZ, type HistoryContext, type TenantState } from "./context";
import type { Step } from "./plan";

/** Expected refusals (slot taken meanwhile, not offered, run already going) are part of the story, not failures. */
async function tolerate<T>(ctx: HistoryContext, what: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError && ["CONFLICT", "BAD_REQUEST", "NOT_FOUND"].includes(error.code)) {
      bump(ctx, `${what}.refused`);
      return null;
    }
    throw error;
  }
}

function dayKey(from: Date, daysAhead: number): string {
  let day = new Date(from.getTime() + daysAhead * 86_400_000);
  if (zonedWeekday(day, TZ) === 7) day = new Date(day.getTime() + 86_400_000); // the salon is closed on Sundays
  return zonedDateKey(day, TZ);
}

/** The time a caller asks for when no slots can be shown (Cal.com down): a morning half hour (Saturdays close at 14:00). */
function requestedTime(key: string, pick: number): Date {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  return zonedToUtc(
    { year: y, month: m, day: d, hour: 9 + Math.floor(pick * 5), minute: (pick * 10) % 1 < 0.5 ? 0 : 30 },
    TZ,
  );
}

/** A caller asks what is free, and most then book one of the offered times (the phone routes' library functions). */
export async function phoneCall(
  ctx: HistoryContext,
  t: TenantState,
  step: Extract<Step, { kind: "call" }>,
): Promise<void> {
  const date = dayKey(clock.now(), step.daysAhead);
  const offer = await getAvailability(
    ctx.db,
    { companyId: t.company.id, service: step.service, date },
    { source: "phone", actorLabel: "phone platform" },
  );
  bump(ctx, "availability");
  if (!step.books) return;
  const chosen = offer.slots[Math.floor(step.pick * offer.slots.length)];
  const start = chosen ? new Date(chosen.start) : offer.isFallback ? requestedTime(date, step.pick) : null;
  if (!start) return;
  const attendee = { ...step.caller, timeZone: TZ };
  const r = await tolerate(ctx, "booking", () =>
    bookAppointment(ctx.db, {
      companyId: t.company.id,
      service: step.service,
      start: start.toISOString(),
      attendee,
      idempotencyKey: step.idempotencyKey,
      source: "phone",
    }),
  );
  if (!r) return;
  bump(ctx, `booking.${r.outcome}`);
  if (r.uid) t.bookings.push({ uid: r.uid, appointmentId: r.appointmentId, start });
}

/** A booking the caller still holds, chosen by the step's dice; null when none is left in the future. */
export function pickBooking(t: TenantState, pick: number) {
  const future = t.bookings.filter((b) => b.start.getTime() > clock.nowMs() + 3_600_000);
  return future[Math.floor(pick * future.length)] ?? null;
}

export async function cancelCall(ctx: HistoryContext, t: TenantState, pick: number): Promise<void> {
  const b = pickBooking(t, pick);
  if (!b) return;
  const r = await tolerate(ctx, "cancel", () =>
    cancelByUid(ctx.db, { uid: b.uid, reason: "Caller cancelled by phone", actor: PHONE }),
  );
  t.bookings = t.bookings.filter((x) => x !== b);
  if (r) bump(ctx, "cancel");
}

export async function rescheduleCall(ctx: HistoryContext, t: TenantState, pick: number): Promise<void> {
  const b = pickBooking(t, pick);
  if (!b) return;
  const date = dayKey(b.start, 1);
  const offer = await getAvailability(
    ctx.db,
    { companyId: t.company.id, service: await serviceOf(ctx, b.appointmentId), date },
    { source: "phone", actorLabel: "phone platform" },
  );
  const slot = offer.slots[Math.floor(pick * offer.slots.length)];
  if (!slot) return;
  const r = await tolerate(ctx, "reschedule", () =>
    rescheduleByUid(ctx.db, { uid: b.uid, start: slot.start, reason: "Caller asked for the next day", actor: PHONE }),
  );
  if (!r) return;
  bump(ctx, "reschedule");
  b.uid = r.newUid;
  b.start = new Date(slot.start);
}

async function serviceOf(ctx: HistoryContext, appointmentId: number): Promise<number> {
  const [row] = await ctx.db
    .select({ serviceId: appointments.serviceId })
    .from(appointments)
    .where(eq(appointments.id, appointmentId));
  if (!row?.serviceId) throw new Error(`appointment ${appointmentId} has no service`);
  return row.serviceId;
}

export async function scheduledSync(ctx: HistoryContext, t: TenantState, checkOnly: boolean): Promise<void> {
  const run = await tolerate(ctx, "sync", () =>
    runSync(ctx.db, {
      companyId: t.company.id,
      checkOnly,
      trigger: checkOnly ? "manual" : "schedule",
      actor: SCHEDULE,
    }),
  );
  if (run) bump(ctx, `sync.${run.status}`);
}
