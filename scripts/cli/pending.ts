import type { Command } from "commander";
import { emit, type CliContext, type ExitCode, type Run } from "./runtime";

/**
 * Commands whose library functions belong to capabilities still being built (webhooks, event-type sync, booking
 * recovery). Each answers "not available yet" with exit code 1 until it is wired to its library function.
 */
function notYet(ctx: CliContext, command: string, capability: string): Promise<ExitCode> {
  const message = `${command} is not available yet: it will call the ${capability} library once that is documented.`;
  return Promise.resolve(emit(ctx, { ok: false, data: { ok: false, command, error: "not_available", message }, text: [message] }));
}

export function registerPending(program: Command, run: Run): void {
  program
    .command("webhook-status")
    .description("recent webhook deliveries and failures per company (not available yet)")
    .option("--company <id|slug>")
    .action(() => run((c) => notYet(c, "webhook-status", "webhook log (lib/webhooks)"))());
  program
    .command("sync-status")
    .description("event-type sync freshness and errors per company (not available yet)")
    .option("--company <id|slug>")
    .action(() => run((c) => notYet(c, "sync-status", "event-type sync (lib/sync)"))());
  program
    .command("sync-event-types")
    .description("sync the team's event types (--company | --all, --check-only) (not available yet)")
    .option("--company <id|slug>")
    .option("--all")
    .option("--check-only")
    .action(() => run((c) => notYet(c, "sync-event-types", "event-type sync (lib/sync)"))());
  program
    .command("recover-failed-bookings")
    .description("retry bookings that went to the manual queue (--from --to) (not available yet)")
    .option("--from <date>")
    .option("--to <date>")
    .option("--company <id|slug>")
    .action(() => run((c) => notYet(c, "recover-failed-bookings", "booking recovery (lib/booking)"))());
}
