// CPU cost per request and per processed delivery (app process + every PostgreSQL backend), which holds still on a
// busy machine where throughput does not: node --conditions=react-server --import tsx scripts/bench/cpu-cost.ts
import { readFileSync, readdirSync } from "node:fs";
import postgres from "postgres";
import { createDatabase, dropDatabase } from "../../test/pg-admin";
import { processCpuMs } from "./harness";
import { runLoad } from "./load";
import { ensureBenchBuild, pendingCount, seedBacklog, seedCompany, startApp } from "./servers";

function pids(match: (comm: string, cmd: string) => boolean): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return match(comm, cmd);
      } catch {
        return false;
      }
    });
}
/** The backends of this run's database only (their title names it): other work on the server does not count. */
const pgCpu = (dbName: string) =>
  pids((comm, cmd) => comm === "postgres" && cmd.includes(` ${dbName} `)).reduce((s, p) => s + processCpuMs(p), 0);
function parentOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  } catch {
    return 0;
  }
}
/** The app and its descendants (`next start` serves from a child process), not every Next server on the machine. */
function treeCpu(root: number): number {
  const tree = new Set([root]);
  const all = pids(() => true);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!tree.has(p) && tree.has(parentOf(p))) {
        tree.add(p);
        grew = true;
      }
  }
  return [...tree].reduce((s, p) => s + processCpuMs(p), 0);
}

const distDir = process.env.BENCH_DIST_DIR ?? ".next-bench";
ensureBenchBuild(distDir);
const databaseUrl = await createDatabase("bench_cpu");
const dbName = new URL(databaseUrl).pathname.slice(1);
const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
const port = 3290;
const app = await startApp({ port, databaseUrl, distDir });
const appPid = app.child.pid!;
try {
  const co = await seedCompany(sql);
  const load = (url: string, ms: number) =>
    runLoad({ url, senders: 16, durationMs: ms, secret: co.secret, eventTypeId: co.eventTypeId, warmupMs: 300 });
  const drained = async () => {
    while ((await pendingCount(sql)) > 0) await new Promise((r) => setTimeout(r, 100));
  };
  const measure = async (label: string, fn: () => Promise<number>) => {
    const a0 = treeCpu(appPid);
    const p0 = pgCpu(dbName);
    const n = await fn();
    const app = treeCpu(appPid) - a0;
    const pg = pgCpu(dbName) - p0;
    console.log(
      `${label}: ${n} units, app ${(app / n).toFixed(3)} ms, postgres ${(pg / n).toFixed(3)} ms, total ${((app + pg) / n).toFixed(3)} ms CPU each`,
    );
  };
  const hook = `http://127.0.0.1:${port}/api/webhooks/calcom/${co.slug}`;
  await load(hook, 1500);
  await drained();
  for (let r = 0; r < 2; r++) {
    await measure("noop request", async () => (await load(`http://127.0.0.1:${port}/api/bench/noop`, 4000)).requests);
    await measure("webhook request + its processing", async () => {
      const res = await load(hook, 4000);
      await drained();
      return res.requests;
    });
    await measure("processing of a seeded backlog", async () => {
      await seedBacklog(sql, co, 2000);
      await drained();
      return 2000;
    });
  }
} finally {
  await app.stop();
  await sql.end({ timeout: 2 });
  await dropDatabase(databaseUrl);
}
process.exit(0);
