// npm run demo:traffic [-- --minutes 10 --per-minute 6] – phone calls against the running server's sandbox for a demonstration
// Bounded (at most 120 minutes, 60 calls a minute), stops on Ctrl-C, and only talks to a sandbox on this machine.
import { parseArgs } from "node:util";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { closeDb, getDbHandle } from "@/lib/db/client";
import { loopbackTenants, runLiveTraffic } from "@/lib/demo/history/live";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    "per-minute": { type: "string", default: "6" },
    seed: { type: "string", default: "7" },
  },
});
const minutes = Math.min(120, Math.max(0.1, Number(values.minutes)));
const perMinute = Math.min(60, Math.max(1, Number(values["per-minute"])));
if (!Number.isFinite(minutes) || !Number.isFinite(perMinute)) {
  console.error("--minutes and --per-minute take numbers");
  process.exit(2);
}
/** Any HTTP answer will do (401 without a key): it proves the server, and its sandbox, is up. */
async function isReachable(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/v2/me`, { signal: AbortSignal.timeout(3_000) });
    return true;
  } catch {
    return false;
  }
}

const aborter = new AbortController();
process.once("SIGINT", () => {
  console.log("stopping after the current call (Ctrl-C)");
  aborter.abort();
});
let code = 0;
try {
  const db = (await getDbHandle("tool")).db;
  const tenants = await loopbackTenants(db);
  if (tenants.length === 0) {
    console.error(
      "No demo company uses the built-in sandbox on this machine (127.0.0.1): nothing to do. Run npm run db:seed first.",
    );
    code = 2;
  } else if (!(await isReachable(resolveCalcomTarget(tenants[0]!.company).baseUrl))) {
    console.error("The sandbox does not answer: start the server first (npm run dev), then run demo:traffic.");
    code = 2;
  } else {
    console.log(
      `demo traffic: ${perMinute} calls a minute for ${minutes} min to ${tenants.map((t) => t.company.name).join(", ")} (Ctrl-C stops)`,
    );
    const counts = await runLiveTraffic(db, tenants, {
      minutes,
      perMinute,
      seed: Number(values.seed) || 7,
      signal: aborter.signal,
      log: (l) => console.log(`demo traffic: ${l}`),
    });
    console.log(
      `demo traffic: done ${JSON.stringify(Object.fromEntries(Object.entries(counts).filter(([k]) => !k.startsWith("ms."))))}`,
    );
  }
} finally {
  await closeDb().catch(() => {});
}
process.exit(code);
