import "server-only";
import type { AppointmentStatus } from "@/drizzle/schema/core";
import { webhookRescheduleLinks } from "@/drizzle/schema/webhooks";
import {
  assertSameCompany,
  createOrPark,
  findAppointment,
  findLinkFrom,
  isForward,
  isTerminal,
  latestUid,
  recordUidMove,
  updateAppointment,
  wasRescheduleRequested,
  type ApplyContext,
  type ApplyResult,
} from "./appointment-state";
import { parseInstant, PermanentProcessingError, type BookingPayload } from "./payload";

/**
 * A reschedule creates a new Cal.com booking (new uid); `rescheduleUid` names the old one. The appointment moves to
 * the new uid and times, the link old -> new is kept, and the change history holds the before/after. Chains may
 * arrive out of order (B->C before A->B): the newest known booking wins and older rows are marked superseded.
 */
export async function applyReschedule(
  ctx: ApplyContext,
  opts: { trigger: string; p: BookingPayload; status: AppointmentStatus; oldUid: string },
): Promise<ApplyResult> {
  const { p, status, oldUid } = opts;
  const newUid = p.uid;
  if (oldUid === newUid) throw new PermanentProcessingError(`rescheduleUid equals uid (${newUid})`);
  const link = await findLinkFrom(ctx.tx, oldUid);
  if (link && link.toUid !== newUid) {
    return {
      status: "ignored",
      outcome: `Booking ${oldUid} was already rescheduled to ${link.toUid}; a second reschedule to ${newUid} is not applied`,
    };
  }
  if (!link)
    await ctx.tx
      .insert(webhookRescheduleLinks)
      .values({ fromUid: oldUid, toUid: newUid, companyId: ctx.companyId, deliveryId: ctx.delivery.id });

  const oldAppt = await findAppointment(ctx.tx, oldUid);
  const newAppt = await findAppointment(ctx.tx, newUid);
  const onward = await latestUid(ctx.tx, newUid);
  const onwardAppt = onward !== newUid ? await findAppointment(ctx.tx, onward) : undefined;
  const current = newAppt ?? onwardAppt;

  if (current) {
    assertSameCompany(ctx, current);
    if (oldAppt && oldAppt.id !== current.id && !isTerminal(oldAppt.status)) {
      await updateAppointment(
        ctx,
        oldAppt,
        { status: "cancelled" },
        `superseded: rescheduled to ${newUid}${onwardAppt ? ` and later to ${onward}` : ""}`,
        oldUid,
      );
    }
    if (newAppt && newAppt.status !== status && isForward(newAppt.status, status)) {
      const after = await updateAppointment(ctx, newAppt, { status }, `${newAppt.status} -> ${status}`, newUid);
      return {
        status: "processed",
        outcome: `Reschedule ${oldUid} -> ${newUid} already applied; appointment #${after.id} now ${status}`,
        appointmentId: after.id,
      };
    }
    const where = onwardAppt
      ? `was rescheduled again to ${onward} (appointment #${current.id})`
      : `is already appointment #${current.id}`;
    return {
      status: "processed",
      outcome: `Linked ${oldUid} -> ${newUid}; the new booking ${where}`,
      appointmentId: current.id,
    };
  }

  if (oldAppt) {
    assertSameCompany(ctx, oldAppt);
    const startsAt = parseInstant(p.startTime, "startTime");
    const endsAt = parseInstant(p.endTime, "endTime");
    // Both ways onto the new booking: the uid move is recorded, then the appointment takes the new uid and time.
    const moveOnto = async (next: typeof status, moveReason: string, change: string) => {
      await recordUidMove(ctx.tx, oldAppt, { uid: newUid, startsAt }, moveReason);
      return updateAppointment(
        ctx,
        oldAppt,
        {
          calcomBookingUid: newUid,
          calcomBookingId: p.bookingId ?? oldAppt.calcomBookingId,
          startsAt,
          endsAt,
          status: next,
          syncStatus: "synced",
        },
        change,
        newUid,
      );
    };
    if (isTerminal(oldAppt.status)) {
      // §8.4: after the host's "request reschedule" (A cancelled), the attendee's new booking B arrives as a reschedule
      // of A. B is live in Cal.com: the appointment comes back on B, linked to A, instead of B being lost.
      if (oldAppt.status === "cancelled" && !isTerminal(status) && (await wasRescheduleRequested(ctx.tx, oldAppt.id))) {
        const after = await moveOnto(
          status,
          "rebooked after the host's request to reschedule",
          `revived: the attendee rebooked ${oldUid} -> ${newUid} after the host's request to reschedule (cancelled -> ${status})`,
        );
        return {
          status: "processed",
          outcome: `Appointment #${after.id} revived on ${newUid} (rebooked after a request to reschedule ${oldUid}): ${status}`,
          appointmentId: after.id,
        };
      }
      return {
        status: "ignored",
        outcome: `Appointment #${oldAppt.id} (${oldUid}) is ${oldAppt.status}; the reschedule to ${newUid} is linked but not applied`,
        appointmentId: oldAppt.id,
      };
    }
    const next = isForward(oldAppt.status, status) || opts.trigger === "BOOKING_REQUESTED" ? status : oldAppt.status;
    const after = await moveOnto(next, `webhook ${opts.trigger}`, `rescheduled ${oldUid} -> ${newUid}`);
    const from = oldAppt.startsAt.toISOString();
    return {
      status: "processed",
      outcome: `Appointment #${after.id} moved ${from} -> ${startsAt.toISOString()}, booking ${oldUid} -> ${newUid} (${next})`,
      appointmentId: after.id,
    };
  }

  return createOrPark(ctx, p, status, `rescheduled from ${oldUid} (old booking never seen)`);
}
