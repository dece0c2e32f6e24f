import type { Command } from "commander";
import { debugAvailability } from "@/lib/slots/debugger";
import { formatDebugReport } from "@/lib/slots/report";
import { emit, optionalCompanyId, UsageError, type CliContext, type ExitCode, type Run } from "./runtime";

type Opts = { date: string; time?: string; company?: string; tz?: string };

/** debug-availability <eventTypeId> --date: slots of a day and, with --time, why that time is (not) offered. Exit 1 on a Cal.com error. */
async function debugAvailabilityCommand(ctx: CliContext, eventTypeId: string, opts: Opts): Promise<ExitCode> {
  if (!/^\d+$/.test(eventTypeId)) throw new UsageError("<eventTypeId> is the numeric Cal.com event type id");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new UsageError("--date takes YYYY-MM-DD");
  if (opts.time && !/^\d{2}:\d{2}$/.test(opts.time)) throw new UsageError("--time takes HH:MM");
  const db = await ctx.db();
  const result = await debugAvailability(db, {
    eventTypeId: Number(eventTypeId),
    date: opts.date,
    time: opts.time,
    companyId: await optionalCompanyId(db, opts.company),
    timeZone: opts.tz,
    actor: ctx.actor,
  });
  return emit(ctx, { ok: !result.error, data: result, text: formatDebugReport(result).split("\n") });
}

export function registerAvailability(program: Command, run: Run): void {
  program
    .command("debug-availability")
    .description("slots of one day for an event type, and why a time is or is not offered")
    .argument("<eventTypeId>", "Cal.com event type id")
    .requiredOption("--date <YYYY-MM-DD>", "the day, local to the time zone")
    .option("--time <HH:MM>", "also explain this time")
    .option("--company <id|slug>", "default: the company whose service uses the event type")
    .option("--tz <zone>", "IANA time zone (default: the company's)")
    .action((eventTypeId: string, opts: Opts) => run((c) => debugAvailabilityCommand(c, eventTypeId, opts))());
}
