// npm run db:seed [-- --history] – add the demo tenants (idempotent); safe while the server runs (it goes through the server's socket)
// --history also replays the demo week (lib/demo/history) once per database; best before the server's jobs start working.
import { closeDb, getDbHandle } from "@/lib/db/client";
import { generateDemoHistory } from "@/lib/demo/history/run";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";

const handle = await getDbHandle("tool");
const result = await seedDemoWithSandbox(handle.db, { actor: { kind: "system", label: "db:seed", role: "admin" } });
console.log(
  `created: ${result.created.join(", ") || "nothing"}; already present: ${result.skipped.join(", ") || "nothing"}`,
);
if (process.argv.includes("--history")) {
  const history = await generateDemoHistory(handle.db, { log: console.log });
  if (history.status === "skipped") console.log(`demo history skipped: ${history.reason}`);
  if (history.errors > 0) process.exitCode = 1;
}
await closeDb();
