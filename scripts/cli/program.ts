import { Command, CommanderError } from "commander";
import type { Db } from "@/lib/db/types";
import { registerAppointment } from "./appointment";
import { registerAvailability } from "./availability";
import { registerCalcomTools } from "./calcom-tools";
import { registerCircuit } from "./circuit";
import { registerHealth } from "./health";
import { registerRawApi } from "./raw-api";
import { registerReconcile } from "./reconcile";
import { registerRecovery } from "./recovery";
import { registerSync } from "./sync";
import { registerWebhooks } from "./webhooks";
import {
  cliActor,
  describeError,
  EXIT,
  type CliContext,
  type CliIo,
  type ExitCode,
  type ProgressSink,
} from "./runtime";

/**
 * The operations CLI (`npm run calcom -- <command>`), the guide's artisan commands on the same library code as the
 * routes. Runs in-process so tests can call it with their own database and capture its output.
 */
export async function runCli(
  argv: string[],
  opts: { db: () => Promise<Db>; io?: CliIo; signal?: AbortSignal; progress?: ProgressSink },
): Promise<ExitCode> {
  const io: CliIo = opts.io ?? {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  };
  let code: ExitCode = EXIT.ok;
  const program = new Command("calcom")
    .description("Cal.com Diagnostics operations CLI. Exit codes: 0 ok, 1 unhealthy or failed, 2 usage.")
    .option("--json", "print JSON instead of text")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
  const json = argv.includes("--json");
  const context = (): CliContext => ({
    db: opts.db,
    io,
    json,
    actor: cliActor(),
    signal: opts.signal,
    progress: opts.progress,
  });
  const run = (fn: (ctx: CliContext) => Promise<ExitCode>) => async () => {
    const ctx = context();
    try {
      code = await fn(ctx);
    } catch (error) {
      const { message, isUsage } = describeError(error);
      if (ctx.json) io.out(JSON.stringify({ ok: false, error: message }));
      io.err(`error: ${message}`);
      code = isUsage ? EXIT.usage : EXIT.failed;
    }
  };
  registerHealth(program, run);
  registerCircuit(program, run);
  registerRawApi(program, run);
  registerReconcile(program, run);
  registerAvailability(program, run);
  registerWebhooks(program, run);
  registerSync(program, run);
  registerRecovery(program, run);
  registerCalcomTools(program, run);
  registerAppointment(program, run);
  // Subcommands inherit the exit override and output; --json may come before or after the command.
  for (const sub of program.commands)
    sub
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
      .option("--json", "print JSON");
  try {
    await program.parseAsync(argv, { from: "user" });
    if (!program.args.length && argv.every((a) => a.startsWith("-"))) {
      program.outputHelp();
      return EXIT.usage;
    }
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  return code;
}
