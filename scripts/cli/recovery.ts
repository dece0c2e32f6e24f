import type { Command } from "commander";
import { recoverFailedBookings } from "@/lib/booking/recovery";
import { emit, optionalCompanyId, parseDate, type CliContext, type ExitCode, type Run } from "./runtime";

type Opts = { from?: string; to?: string; hours?: string; company?: string };

/** recover-failed-bookings --from --to (or --hours): exit 1 when anything is left in conflict or still open. */
async function recover(ctx: CliContext, opts: Opts): Promise<ExitCode> {
  const db = await ctx.db();
  const to = opts.to ? parseDate(opts.to, "to") : new Date().toISOString();
  const from = opts.from
    ? parseDate(opts.from, "from")
    : new Date(Date.now() - Number(opts.hours ?? 24) * 3_600_000).toISOString();
  const report = await recoverFailedBookings(db, {
    companyId: await optionalCompanyId(db, opts.company),
    from,
    to,
    actor: ctx.actor,
  });
  const text = [
    `${report.considered} requests considered (${from} to ${to}): ${report.booked} booked, ${report.conflicts} conflicts, ${report.stillOpen} still open, ${report.skipped} skipped${report.stoppedEarly ? "; stopped early (Cal.com unavailable)" : ""}`,
  ];
  for (const item of report.items)
    text.push(`  manual #${item.manualBookingId} appointment ${item.appointmentId}: ${item.outcome} ${item.message}`);
  return emit(ctx, {
    ok: report.conflicts === 0 && report.stillOpen === 0 && !report.stoppedEarly,
    data: report,
    text,
  });
}

export function registerRecovery(program: Command, run: Run): void {
  program
    .command("recover-failed-bookings")
    .description("book requests that went to the manual queue, created in a time range (exit 1 when any remain)")
    .option("--from <date>", "range start (default: --hours ago)")
    .option("--to <date>", "range end (default: now)")
    .option("--hours <n>", "instead of --from: the last n hours", "24")
    .option("--company <id|slug>", "only this company")
    .action((opts: Opts) => run((c) => recover(c, opts))());
}
