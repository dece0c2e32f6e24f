import type { Command } from "commander";
import { getWebhookStatus } from "@/lib/metrics/webhook-status";
import { emit, optionalCompanyId, type CliContext, type ExitCode, type Run } from "./runtime";

type Opts = { company?: string; silenceHours: string };

/** webhook-status [--company]: exit 1 when a company had rejected or failed deliveries in 24 h, or is silent too long. */
async function webhookStatus(ctx: CliContext, opts: Opts): Promise<ExitCode> {
  const db = await ctx.db();
  const statuses = await getWebhookStatus(db, { companyId: await optionalCompanyId(db, opts.company) });
  const silenceMinutes = Number(opts.silenceHours) * 60;
  const text: string[] = [];
  let ok = true;
  for (const s of statuses) {
    const failed = (s.last24h.byStatus.failed ?? 0) + (s.last24h.byStatus.rejected ?? 0);
    const isSilent = s.silenceMinutes === null || s.silenceMinutes > silenceMinutes;
    if (failed > 0 || isSilent) ok = false;
    text.push(
      `- ${s.company}: last verified ${s.lastVerifiedAt ?? "never"}${isSilent ? " (SILENT)" : ""}, 24 h: ${s.last24h.received} received ${JSON.stringify(s.last24h.byStatus)}, ${s.pending} pending`,
    );
    if (Object.keys(s.last24h.rejectedByVerdict).length)
      text.push(
        `    rejected: ${Object.entries(s.last24h.rejectedByVerdict)
          .map(([v, n]) => `${v} x${n}`)
          .join(", ")}`,
      );
  }
  return emit(ctx, { ok, data: { companies: statuses }, text });
}

export function registerWebhooks(program: Command, run: Run): void {
  program
    .command("webhook-status")
    .description("recent webhook deliveries per company: last verified, failures and rejections (exit 1 on problems)")
    .option("--company <id|slug>", "only this company")
    .option("--silence-hours <n>", "no verified delivery for longer counts as a problem", "24")
    .action((opts: Opts) => run((c) => webhookStatus(c, opts))());
}
