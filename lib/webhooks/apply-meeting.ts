import "server-only";
import * as clock from "@/lib/time/clock";
import { eq } from "drizzle-orm";
import { webhookMeetingAttendance } from "@/drizzle/schema/webhooks";
import {
  assertSameCompany,
  findAppointment,
  latestUid,
  lockBookings,
  recordChange,
  type ApplyContext,
  type ApplyResult,
} from "./appointment-state";
import { meetingBodySchema, PermanentProcessingError } from "./payload";
import { getWebhookSettings } from "./settings";

/**
 * MEETING_STARTED / MEETING_ENDED come flat (no payload wrapper, createdAt = booking creation). Cal.com builds them
 * when the booking is made and sends them later (contract §8.5), so `attendees[].noShow` is the booking-time false:
 * they prove nothing about attendance. They record when the meeting started/ended and a line in the appointment's
 * history; they never set no_show or completed. Unsigned ones (verdict "unverified") apply only where the company
 * opted in (webhook settings `applyUnverifiedMeetings`); otherwise they stay in the log, unapplied.
 */
export async function applyMeeting(ctx: ApplyContext, json: Record<string, unknown>): Promise<ApplyResult> {
  const parsed = meetingBodySchema.safeParse(json);
  if (!parsed.success)
    throw new PermanentProcessingError(
      `Meeting event without the flat booking fields: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const m = parsed.data;
  if (
    ctx.delivery.verdict === "unverified" &&
    !(await getWebhookSettings(ctx.tx, ctx.companyId)).applyUnverifiedMeetings
  ) {
    return {
      status: "ignored",
      outcome: `Unverified ${m.triggerEvent} (no signature) kept in the log, not applied: the company has not opted in to unsigned meeting events`,
    };
  }
  await lockBookings(ctx.tx, [m.uid]);
  const uid = await latestUid(ctx.tx, m.uid);
  const appointment = await findAppointment(ctx.tx, uid);
  if (appointment) assertSameCompany(ctx, appointment);
  const at = ctx.delivery.receivedAt;
  const isEnd = m.triggerEvent === "MEETING_ENDED";
  const frozenNoShow = (m.attendees ?? []).filter((a) => a.noShow && a.email).map((a) => a.email as string);
  const a = webhookMeetingAttendance;
  const [existing] = await ctx.tx.select().from(a).where(eq(a.bookingUid, uid)).for("update");
  const values = {
    companyId: ctx.companyId,
    appointmentId: appointment?.id ?? null,
    startedAt: isEnd ? (existing?.startedAt ?? null) : at,
    endedAt: isEnd ? at : (existing?.endedAt ?? null),
    noShowEmails: isEnd ? frozenNoShow : (existing?.noShowEmails ?? []),
  };
  if (existing)
    await ctx.tx
      .update(a)
      .set({ ...values, updatedAt: clock.now() })
      .where(eq(a.bookingUid, uid));
  else await ctx.tx.insert(a).values({ bookingUid: uid, ...values });

  const verified = ctx.delivery.verdict === "unverified" ? " (unsigned, applied by the company's opt-in)" : "";
  if (!appointment)
    return {
      status: "processed",
      outcome: `Attendance recorded for booking ${uid}${verified}; no appointment has this uid`,
    };
  const what = isEnd ? "meeting ended" : "meeting started";
  const note = `${what}${verified}; status stays ${appointment.status}: MEETING_* carry the booking-time noShow (${frozenNoShow.length ? frozenNoShow.join(", ") : "none absent"}), not attendance`;
  await recordChange(ctx, { uid, change: note, before: appointment, after: appointment });
  return {
    status: "processed",
    outcome: `${isEnd ? "Meeting ended" : "Meeting started"} for appointment #${appointment.id}${verified}; status stays ${appointment.status} (noShow in MEETING_* is frozen at booking time)`,
    appointmentId: appointment.id,
  };
}
