import type { Command } from "commander";
import { testConnection } from "@/lib/calcom/test-connection";
import { getHealthReport } from "@/lib/metrics/health-report";
import { emit, optionalCompanyId, resolveCompany, type CliContext, type ExitCode, type Run } from "./runtime";

/** health-check [--company]: exit 0 when every company is healthy, 1 when any is degraded or down. */
async function healthCheck(ctx: CliContext, opts: { company?: string }): Promise<ExitCode> {
  const db = await ctx.db();
  const report = await getHealthReport(db, { companyId: await optionalCompanyId(db, opts.company) });
  const text = [`Cal.com: ${report.status.toUpperCase()} (${report.companies.length} companies, ${report.checkedAt})`];
  for (const c of report.companies) {
    text.push(`- ${c.company} [${c.status}]${c.sandbox ? " (sandbox)" : ""}`);
    for (const r of c.reasons) text.push(`    ${r.severity}: ${r.message}`);
    text.push(
      `    circuit ${c.circuit.state}${c.circuit.isForcedOpen ? " (held by an operator)" : ""}${c.circuit.lastFailureCode ? `, last failure ${c.circuit.lastFailureCode}` : ""}, ${c.circuit.tripsLastHour} trips in the last hour`,
    );
    text.push(
      `    API (${c.api.windowMinutes} min): ${c.api.calls} calls, success ${c.api.successRatePct === null ? "n/a" : `${c.api.successRatePct}%`}, p95 ${c.api.p95Ms === null ? "n/a" : `${c.api.p95Ms} ms`}`,
    );
    text.push(`    sync: ${c.sync.summary}`);
    text.push(`    webhooks: ${c.webhooks.summary}`);
    if (c.errors24h.length)
      text.push(`    errors (24 h): ${c.errors24h.map((e) => `${e.calCode} x${e.count}`).join(", ")}`);
  }
  return emit(ctx, { ok: report.status === "healthy", data: report, text });
}

/** test-connection [--company]: who the key belongs to and whether it can read the team; exit 1 on any failure. */
async function testConnectionCommand(ctx: CliContext, opts: { company?: string }): Promise<ExitCode> {
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  const r = await testConnection(db, { companyId: company.id, actor: ctx.actor });
  const ok = r.me.ok && r.teamAccess.ok && !r.findings.some((f) => f.level === "error");
  const text = [`${company.name}: ${ok ? "OK" : "FAILED"} (${r.isSandbox ? "sandbox" : r.baseUrl})`];
  text.push(
    r.me.ok
      ? `  key user: ${r.me.value.username ?? r.me.value.email} (${r.me.latencyMs} ms)`
      : `  GET /v2/me failed: ${"calCode" in r.me.error ? `${r.me.error.calCode} ` : ""}${r.me.error.message}`,
  );
  text.push(
    r.teamAccess.ok
      ? `  team ${r.teamAccess.value.team} (${r.teamAccess.value.teamId}): ${r.teamAccess.value.eventTypes} event types`
      : `  team access failed: ${"calCode" in r.teamAccess.error ? `${r.teamAccess.error.calCode} ` : ""}${r.teamAccess.error.message}`,
  );
  for (const f of r.findings) text.push(`  ${f.level}: ${f.message}`);
  return emit(ctx, { ok, data: { ...r, ok }, text });
}

export function registerHealth(program: Command, run: Run): void {
  program
    .command("health-check")
    .description("API connectivity, circuit state, success rate, last sync and webhook, errors by CAL code")
    .option("--company <id|slug>", "only this company")
    .action((opts: { company?: string }) => run((c) => healthCheck(c, opts))());
  program
    .command("test-connection")
    .description("check the company's key (GET /v2/me) and team access (GET /v2/teams/{id}, its event types)")
    .option("--company <id|slug>", "the company (default: the default company)")
    .action((opts: { company?: string }) => run((c) => testConnectionCommand(c, opts))());
}
