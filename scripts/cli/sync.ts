import type { Command } from "commander";
import { getSyncStatus } from "@/lib/sync/status";
import { companies } from "@/drizzle/schema/core";
import { syncAllCompanies } from "@/lib/sync/sync-all";
import { listSyncableCompanies, runSync } from "@/lib/sync/sync";
import {
  emit,
  optionalCompanyId,
  resolveCompany,
  startProgress,
  UsageError,
  type CliContext,
  type ExitCode,
  type Run,
} from "./runtime";

/** sync-status [--company]: exit 1 when any company's sync is stale or has errors since its last success. */
async function syncStatus(ctx: CliContext, opts: { company?: string }): Promise<ExitCode> {
  const db = await ctx.db();
  const status = await getSyncStatus(db, { companyId: await optionalCompanyId(db, opts.company) });
  const text = [
    `last sync ${status.last_sync ?? "never"}, ${status.event_types_count} event types, ${status.pending_webhooks} pending webhooks, ${status.sync_errors.length} errors`,
  ];
  for (const c of status.companies) {
    text.push(
      `- ${c.company_name}: last sync ${c.last_sync ?? "never"}${c.is_stale ? " (STALE)" : ""}, ${c.event_types_count} event types, every ${c.interval_minutes} min${c.is_schedule_enabled ? "" : " (schedule off)"}, ${c.pending_review} services to review`,
    );
    for (const e of c.sync_errors)
      text.push(`    run #${e.run_id} ${e.status} at ${e.at}${e.reason ? `: ${e.reason}` : ""}`);
  }
  const ok = status.companies.every((c) => !c.is_stale && c.sync_errors.length === 0);
  return emit(ctx, { ok, data: status, text });
}

type SyncOpts = { company?: string; all?: boolean; checkOnly?: boolean };

/** sync-services (alias sync-event-types) --company | --all [--check-only]: exit 1 when any run aborted or failed. */
async function syncEventTypes(ctx: CliContext, opts: SyncOpts): Promise<ExitCode> {
  if (Boolean(opts.company) === Boolean(opts.all)) throw new UsageError("Give --company <id|slug> or --all");
  const db = await ctx.db();
  const bar = startProgress(ctx, "sync", opts.all ? (await listSyncableCompanies(db)).length : 1);
  const base = { checkOnly: Boolean(opts.checkOnly), trigger: "manual", actor: ctx.actor } as const;
  const { runs, conflicts } = opts.all
    ? await syncAllCompanies(db, base, async (o) => {
        const run = await runSync(db, o);
        bar.tick(String(o.companyId));
        return run;
      })
    : { runs: [await runSync(db, { ...base, companyId: (await resolveCompany(db, opts.company)).id })], conflicts: [] };
  const names = new Map(
    (await db.select({ id: companies.id, name: companies.name }).from(companies)).map((c) => [c.id, c.name]),
  );
  const text: string[] = conflicts.map((c) => `${names.get(c.companyId) ?? c.companyId}: ${c.message}`);
  for (const run of runs) {
    const c = run.counts;
    text.push(
      `${names.get(run.companyId) ?? run.companyId}: run #${run.id} ${run.status}${run.isCheckOnly ? " (check only)" : ""}: found ${c.found}, matched ${c.matched}, new ${c.new}, missing ${c.missing}, orphaned ${c.orphaned}, deactivated ${c.deactivated}, errors ${c.errors}`,
    );
    if (run.reason) text.push(`    ${run.reason}`);
    if (opts.checkOnly) {
      const byKind = new Map<string, number>();
      for (const item of run.diff) byKind.set(String(item.kind), (byKind.get(String(item.kind)) ?? 0) + 1);
      for (const [kind, n] of byKind) text.push(`    ${kind}: ${n}`);
    }
  }
  bar.done();
  return emit(ctx, {
    ok: conflicts.length === 0 && runs.every((r) => r.status === "succeeded"),
    data: { runs, conflicts },
    text,
  });
}

export function registerSync(program: Command, run: Run): void {
  program
    .command("sync-status")
    .description("event-type sync freshness and errors per company (exit 1 when stale or failing)")
    .option("--company <id|slug>", "only this company")
    .action((opts: { company?: string }) => run((c) => syncStatus(c, opts))());
  program
    .command("sync-services")
    .alias("sync-event-types")
    .description(
      "sync the team's event types into services (exit 1 when a run aborts or fails); alias sync-event-types",
    )
    .option("--company <id|slug>", "one company")
    .option("--all", "every company with a Cal.com team")
    .option("--check-only", "compute the diff, change nothing")
    .action((opts: SyncOpts) => run((c) => syncEventTypes(c, opts))());
}
