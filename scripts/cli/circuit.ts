import type { Command } from "commander";
import { resetCircuit } from "@/lib/calcom/breaker";
import { getCircuitOverview } from "@/lib/calcom/circuit-overview";
import {
  emit,
  EXIT,
  optionalCompanyId,
  resolveCompany,
  UsageError,
  type CliContext,
  type ExitCode,
  type Run,
} from "./runtime";

async function snapshot(ctx: CliContext, companyId: number | undefined) {
  const circuits = await getCircuitOverview(await ctx.db(), { companyId });
  const text = circuits.map(
    (c) =>
      `${c.companyName.padEnd(24)} ${c.state.toUpperCase().padEnd(9)} failures ${c.consecutiveFailures}/${c.thresholds.failureThreshold}` +
      `${c.isForcedOpen ? " (held open for maintenance)" : ""}${c.openUntil && c.state === "open" ? ` until ${new Date(c.forcedOpenUntil ?? c.openUntil).toISOString()}` : ""}` +
      `${c.lastFailure ? `  last failure ${c.lastFailure.code} ${c.lastFailure.status ?? ""} ${new Date(c.lastFailure.at).toISOString()}` : ""}`,
  );
  return { circuits, text, isAnyOpen: circuits.some((c) => c.state !== "closed") };
}

/** circuit-status [--company] [--watch]: exit 1 when any circuit is open or half-open. --watch polls until Ctrl-C. */
async function circuitStatus(
  ctx: CliContext,
  opts: { company?: string; watch?: boolean; interval: string; count?: string },
): Promise<ExitCode> {
  const companyId = await optionalCompanyId(await ctx.db(), opts.company);
  const intervalMs = Math.max(0.2, Number(opts.interval)) * 1000;
  const limit = opts.count ? Number(opts.count) : opts.watch ? Infinity : 1;
  if (!Number.isFinite(intervalMs) || Number.isNaN(limit)) throw new UsageError("--interval and --count take numbers");
  let code: ExitCode = 0;
  for (let i = 0; i < limit && !ctx.signal?.aborted; i++) {
    const s = await snapshot(ctx, companyId);
    // Watching prints one JSON document per line (JSON Lines), each with its time.
    if (opts.watch && ctx.json) ctx.io.out(JSON.stringify({ at: new Date().toISOString(), circuits: s.circuits }));
    else
      emit(ctx, {
        ok: !s.isAnyOpen,
        data: { circuits: s.circuits },
        text: opts.watch ? [`-- ${new Date().toISOString()}`, ...s.text] : s.text,
      });
    code = s.isAnyOpen ? EXIT.failed : EXIT.ok;
    if (i + 1 < limit) await new Promise((r) => setTimeout(r, intervalMs));
  }
  return code;
}

/** circuit-reset --company --reason: close the circuit (audited, like the panel's reset). */
async function circuitReset(ctx: CliContext, opts: { company?: string; reason: string }): Promise<ExitCode> {
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  await resetCircuit(db, { companyId: company.id, reason: opts.reason, actor: ctx.actor });
  const [after] = await getCircuitOverview(db, { companyId: company.id });
  return emit(ctx, {
    ok: true,
    data: { companyId: company.id, state: after?.state },
    text: [`${company.name}: circuit reset, now ${after?.state}`],
  });
}

export function registerCircuit(program: Command, run: Run): void {
  program
    .command("circuit-status")
    .description("the circuit breaker of each company (exit 1 when any is open or half-open)")
    .option("--company <id|slug>", "only this company")
    .option("--watch", "keep printing until interrupted")
    .option("--interval <seconds>", "seconds between prints with --watch", "2")
    .option("--count <n>", "stop after n prints")
    .action((opts: { company?: string; watch?: boolean; interval: string; count?: string }) =>
      run((c) => circuitStatus(c, opts))(),
    );
  program
    .command("circuit-reset")
    .description("close a company's circuit (audited)")
    .option("--company <id|slug>", "the company (default: the default company)")
    .option("--reason <text>", "why (recorded in the circuit history and audit log)", "Reset from the CLI")
    .action((opts: { company?: string; reason: string }) => run((c) => circuitReset(c, opts))());
}
