import type { Command } from "commander";
import { getReconcileRun } from "@/lib/reconcile/queries";
import { reconcileNow } from "@/lib/reconcile/run";
import { emit, optionalCompanyId, parseDate, type CliContext, type ExitCode, type Run } from "./runtime";

type Opts = { from: string; to?: string; company?: string; incremental?: boolean };

/** reconcile-bookings --from [--to]: runs in this process; exit 0 when every run is clean, 1 on mismatches or a failed run. */
async function reconcileBookings(ctx: CliContext, opts: Opts): Promise<ExitCode> {
  const db = await ctx.db();
  const from = parseDate(opts.from, "from");
  const to = opts.to ? parseDate(opts.to, "to") : new Date(Date.now() + 90 * 86_400_000).toISOString();
  const runs = await reconcileNow(db, {
    input: { companyId: await optionalCompanyId(db, opts.company), from, to, incremental: Boolean(opts.incremental) },
    actor: ctx.actor,
  });
  const text: string[] = [];
  const data = [];
  for (const run of runs) {
    const { items } = await getReconcileRun(db, run.id, { status: "open", limit: 20 });
    data.push({
      ...run,
      sample: items.map((i) => ({
        id: i.id,
        class: i.class,
        appointmentId: i.appointmentId,
        bookingUid: i.bookingUid,
        diff: i.diff,
      })),
    });
    const total = Object.values(run.counts).reduce((n, v) => n + (v ?? 0), 0);
    text.push(
      `run #${run.id} company ${run.companyId} ${run.mode}: ${run.status}${run.error ? ` (${run.error})` : ""}, ${run.remoteCount} Cal.com bookings, ${run.localCount} appointments, ${total} items`,
    );
    for (const [cls, n] of Object.entries(run.counts)) text.push(`    ${cls}: ${n}`);
    for (const i of items.slice(0, 10))
      text.push(
        `    #${i.id} ${i.class} appointment ${i.appointmentId ?? "-"} booking ${i.bookingUid ?? "-"} ${i.diff.map((d) => `${d.field}: ${String(d.local)} vs ${String(d.calcom)}`).join("; ")}`,
      );
  }
  text.push("Fix items in the Reconciliation panel (/admin/calcom-diagnostics/reconciliation).");
  const ok = runs.every((r) => r.status === "completed" && Object.values(r.counts).every((n) => !n));
  return emit(ctx, { ok, data: { runs: data }, text });
}

export function registerReconcile(program: Command, run: Run): void {
  program
    .command("reconcile-bookings")
    .description("compare local appointments with Cal.com bookings (exit 1 when anything differs)")
    .requiredOption("--from <date>", "range start (YYYY-MM-DD or ISO)")
    .option("--to <date>", "range end (default: 90 days ahead)")
    .option("--company <id|slug>", "only this company (default: all)")
    .option("--incremental", "only what changed since the last completed run")
    .action((opts: Opts) => run((c) => reconcileBookings(c, opts))());
}
