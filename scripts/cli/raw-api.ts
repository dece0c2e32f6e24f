import type { Command } from "commander";
import { runRawGet } from "@/lib/raw-api/raw-api";
import { emit, resolveCompany, UsageError, type CliContext, type ExitCode, type Run } from "./runtime";

type Opts = { company?: string; params?: string; version?: string };

/** raw-api GET <path> [--params JSON]: exit 1 when Cal.com answers with an error, 2 for any method but GET. */
async function rawApi(ctx: CliContext, method: string, path: string, opts: Opts): Promise<ExitCode> {
  if (method.toUpperCase() !== "GET")
    throw new UsageError(`Only GET is allowed (got ${method}): the raw console never changes anything at Cal.com`);
  let params: unknown;
  try {
    params = opts.params ? JSON.parse(opts.params) : undefined;
  } catch {
    throw new UsageError("--params must be JSON, e.g. '{\"eventTypeId\":2026361}'");
  }
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  const r = await runRawGet(db, {
    input: { companyId: company.id, path, params: params as Record<string, string>, version: opts.version },
    actor: ctx.actor,
  });
  const text = [
    `GET ${r.request.url}  (cal-api-version ${r.request.headers["cal-api-version"] ?? "default"}) -> ${r.status ?? "no answer"} in ${r.durationMs} ms`,
  ];
  if (r.error) text.push(`${r.error.calCode} ${r.error.title}: ${r.error.message}`, `hint: ${r.error.hint}`);
  text.push(JSON.stringify(r.response?.body ?? r.error?.details ?? null, null, 2));
  return emit(ctx, { ok: r.ok, data: r, text });
}

export function registerRawApi(program: Command, run: Run): void {
  program
    .command("raw-api")
    .description("send one GET to the company's Cal.com API, e.g. raw-api GET /v2/me")
    .argument("<method>", "GET (the only method allowed)")
    .argument("<path>", "path under the API base, e.g. /v2/bookings?take=5 or /slots/available")
    .option("--company <id|slug>", "the company (default: the default company)")
    .option("--params <json>", "query parameters as a JSON object")
    .option("--version <cal-api-version>", "override the cal-api-version of the path's family")
    .action((method: string, path: string, opts: Opts) => run((c) => rawApi(c, method, path, opts))());
}
