// npm run calcom -- <command> – the operations CLI (health-check, circuit-status, raw-api, reconcile-bookings, ...)
// Opens the database as a tool: through the running server's socket when it owns the embedded database.
import { runCli } from "./cli/program";
import { closeDb, getDbHandle } from "@/lib/db/client";

const aborter = new AbortController();
process.once("SIGINT", () => aborter.abort());
let code = 1;
try {
  // Progress bars only on a terminal: piped or captured output stays clean.
  const progress = process.stdout.isTTY
    ? (line: string, isDone: boolean) => process.stderr.write(`\r\x1b[2K${line}${isDone ? "\n" : ""}`)
    : undefined;
  code = await runCli(process.argv.slice(2), {
    db: async () => (await getDbHandle("tool")).db,
    signal: aborter.signal,
    progress,
  });
} finally {
  await closeDb().catch(() => {});
}
process.exit(code);
