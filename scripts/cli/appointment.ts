import type { Command } from "commander";
import { eq } from "drizzle-orm";
import { appointments } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import { markBooked } from "@/lib/booking/book";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getBooking } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { comparePair } from "@/lib/reconcile/compare";
import { toRemoteRow } from "@/lib/reconcile/remote";
import { emit, EXIT, UsageError, type CliContext, type ExitCode, type Run } from "./runtime";

/**
 * sync-appointment <id> [--apply]: one appointment against its Cal.com booking (the reconciliation's comparison for a
 * single pair). Exit 0 when they agree (or --apply took Cal.com's state, audited), 1 on a difference or a missing booking.
 */
async function syncAppointment(ctx: CliContext, id: string, opts: { apply?: boolean }): Promise<ExitCode> {
  if (!/^\d+$/.test(id)) throw new UsageError("<appointmentId> is the numeric appointment id");
  const db = await ctx.db();
  const [appt] = await db
    .select()
    .from(appointments)
    .where(eq(appointments.id, Number(id)));
  if (!appt) throw new UsageError(`No appointment #${id}`);
  if (!appt.calcomBookingUid) {
    return emit(ctx, {
      ok: false,
      data: { appointmentId: appt.id, state: "not_linked", status: appt.status },
      text: [
        `Appointment #${appt.id} (${appt.status}) has no Cal.com booking uid: nothing to compare (see the manual queue)`,
      ],
    });
  }
  const http = await createCalcomHttp(db, appt.companyId);
  let booking;
  try {
    booking = (await getBooking(http, appt.calcomBookingUid)).data;
  } catch (error) {
    if (error instanceof CalcomError && error.calCode === "CAL-011") {
      return emit(ctx, {
        ok: false,
        data: { appointmentId: appt.id, uid: appt.calcomBookingUid, state: "missing_in_calcom" },
        text: [`Appointment #${appt.id}: booking ${appt.calcomBookingUid} does not exist in Cal.com (CAL-011)`],
      });
    }
    throw error;
  }
  const result = comparePair(appt, toRemoteRow(booking));
  const base = {
    appointmentId: appt.id,
    uid: appt.calcomBookingUid,
    local: { status: appt.status, startsAt: appt.startsAt.toISOString() },
    calcom: { status: booking.status, start: booking.start },
  };
  if (!result)
    return emit(ctx, {
      ok: true,
      data: { ...base, state: "in_sync", diff: [] },
      text: [
        `Appointment #${appt.id} and booking ${appt.calcomBookingUid} agree (${appt.status}, ${appt.startsAt.toISOString()})`,
      ],
    });
  const text = [
    `Appointment #${appt.id} differs from booking ${appt.calcomBookingUid}: ${result.class}`,
    ...result.diff.map((d) => `  ${d.field}: here ${JSON.stringify(d.local)}, Cal.com ${JSON.stringify(d.calcom)}`),
  ];
  if (!opts.apply) {
    text.push("  --apply takes Cal.com's state (audited)");
    return emit(ctx, { ok: false, data: { ...base, state: result.class, diff: result.diff, applied: false }, text });
  }
  const updated = await db.transaction(async (tx) => {
    const row = await markBooked(tx, appt.id, booking);
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "appointment.sync",
      targetType: "appointment",
      targetId: appt.id,
      companyId: appt.companyId,
      details: { uid: appt.calcomBookingUid, class: result.class, diff: result.diff },
    });
    return row;
  });
  text.push(`  applied: now ${updated.status} at ${updated.startsAt.toISOString()}`);
  emit(ctx, {
    ok: true,
    data: {
      ...base,
      state: result.class,
      diff: result.diff,
      applied: true,
      appointment: { status: updated.status, startsAt: updated.startsAt.toISOString() },
    },
    text,
  });
  return EXIT.ok;
}

export function registerAppointment(program: Command, run: Run): void {
  program
    .command("sync-appointment")
    .description(
      "compare one appointment with its Cal.com booking; --apply takes Cal.com's state (exit 1 on a difference)",
    )
    .argument("<appointmentId>", "the appointment id")
    .option("--apply", "update the appointment from Cal.com (audited)")
    .action((id: string, opts: { apply?: boolean }) => run((c) => syncAppointment(c, id, opts))());
}
