import "server-only";
import * as clock from "@/lib/time/clock";
import { eq, sql } from "drizzle-orm";
import { webhookMeetingAttendance } from "@/drizzle/schema/webhooks";
import { assertSameCompany, findAppointment, latestUid, lockBookings, updateAppointment, type ApplyContext, type ApplyResult } from "./appointment-state";
import { meetingBodySchema, PermanentProcessingError } from "./payload";

/**
 * MEETING_STARTED / MEETING_ENDED come flat (no payload wrapper, createdAt = booking creation). They record
 * attendance; MEETING_ENDED moves a confirmed appointment to completed, or no_show when every attendee was absent.
 */
export async function applyMeeting(ctx: ApplyContext, json: Record<string, unknown>): Promise<ApplyResult> {
  const parsed = meetingBodySchema.safeParse(json);
  if (!parsed.success) throw new PermanentProcessingError(`Meeting event without the flat booking fields: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const m = parsed.data;
  await lockBookings(ctx.tx, [m.uid]);
  const uid = await latestUid(ctx.tx, m.uid);
  const appointment = await findAppointment(ctx.tx, uid);
  if (appointment) assertSameCompany(ctx, appointment);
  const at = ctx.delivery.receivedAt;
  const isEnd = m.triggerEvent === "MEETING_ENDED";
  const attendees = m.attendees ?? [];
  const noShowEmails = attendees.filter((a) => a.noShow && a.email).map((a) => a.email as string);
  const a = webhookMeetingAttendance;
  const [existing] = await ctx.tx.select().from(a).where(eq(a.bookingUid, uid)).for("update");
  const values = {
    companyId: ctx.companyId,
    appointmentId: appointment?.id ?? null,
    startedAt: isEnd ? (existing?.startedAt ?? null) : at,
    endedAt: isEnd ? at : (existing?.endedAt ?? null),
    noShowEmails: isEnd ? noShowEmails : (existing?.noShowEmails ?? []),
  };
  if (existing) await ctx.tx.update(a).set({ ...values, updatedAt: clock.now() }).where(eq(a.bookingUid, uid));
  else await ctx.tx.insert(a).values({ bookingUid: uid, ...values });

  if (!appointment) return { status: "processed", outcome: `Attendance recorded for booking ${uid}; no appointment has this uid` };
  if (!isEnd) return { status: "processed", outcome: `Meeting started for appointment #${appointment.id}`, appointmentId: appointment.id };
  if (appointment.status !== "confirmed") {
    return { status: "processed", outcome: `Meeting ended; appointment #${appointment.id} stays ${appointment.status}`, appointmentId: appointment.id };
  }
  const isNoShow = attendees.length > 0 && attendees.every((x) => x.noShow);
  const next = isNoShow ? "no_show" : "completed";
  await updateAppointment(ctx, appointment, { status: next }, `meeting ended: confirmed -> ${next}`, uid);
  return { status: "processed", outcome: `Meeting ended: appointment #${appointment.id} confirmed -> ${next}`, appointmentId: appointment.id };
}
