// npm run bench [-- --quick] – fills a scratch PostgreSQL database and measures the targets of docs/performance.md:
// every figure the median of at least 3 runs, with its ratio to a baseline measured in the same run where one exists.
// Writes bench/results.json and prints a table; exits 1 when a target is missed. Never run by tests or CI. Needs the
// local PostgreSQL (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432). --quick: small sizes, for development.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closeDb, getDb } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/config/env";
import { createDatabase, dropDatabase } from "../test/pg-admin";
import { benchCalcom, CALCOM_PARTS } from "./bench/calcom";
import type { BenchContext } from "./bench/harness";
import { benchQueries } from "./bench/queries";
import type { BenchRow } from "./bench/types";
import { benchIngest } from "./bench/ingest";
import { BENCH_AUTH_SECRET, BENCH_KEY } from "./bench/servers";

const quick = process.argv.includes("--quick");
/** --only=queries,sync,... runs a subset (for development; the full bench runs everything). */
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const wanted = (name: string) => !only || only.includes(name);

function printTable(rows: BenchRow[]) {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(
    `\n${"benchmark".padEnd(w)}  ${"value".padStart(10)}  unit   ${"baseline".padStart(9)}  ${"ratio".padStart(7)}  target          pass`,
  );
  for (const r of rows) {
    const pass = r.pass === undefined ? "" : r.pass ? "yes" : "NO";
    console.log(
      `${r.name.padEnd(w)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(5)}  ${String(r.baseline ?? "").padStart(9)}  ${String(r.ratio ?? "").padStart(7)}  ${(r.target ?? "").padEnd(14)}  ${pass}`,
    );
  }
}

/**
 * Before the ingest runs, which compare a route that uses the database with one that does not: the earlier parts'
 * million-row tables vacuumed and checkpointed now, so that autovacuum and the checkpointer do not take the machine
 * from the timed runs (in two full runs, 16 senders measured 0.67 and 0.64 of the do-nothing route after them, and
 * 0.73 to 1.15 run on their own).
 */
async function settle(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`vacuum (analyze)`;
    await sql`checkpoint`;
    for (let i = 0; i < 120; i++) {
      const [busy] = await sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker'`;
      if (!busy?.n) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await sql.end({ timeout: 2 });
  }
}

async function main() {
  const url = await createDatabase("calcomdiag_bench");
  process.env.DATABASE_URL = url;
  // One key and secret for the whole run: the ingest part starts the app with these (scripts/bench/servers.ts).
  process.env.APP_ENCRYPTION_KEY = BENCH_KEY;
  process.env.AUTH_SECRET = BENCH_AUTH_SECRET;
  process.env.JOB_WORKERS = "off";
  // The Cal.com parts run against the sandbox this process serves on 127.0.0.1 over http, as the integration tests do
  // (test/db.ts); children inherit these.
  process.env.OUTBOUND_ALLOW_PRIVATE ??= "true";
  process.env.CALCOM_SANDBOX_ENABLED ??= "true";
  process.env.SANDBOX_CONTROL_TOKEN ??= "bench-sandbox-control-token-0001";
  resetEnvCache();
  const ctx: BenchContext = { databaseUrl: url, quick, runs: 3, log: (line) => console.log(line) };
  const started = performance.now();
  const rows: BenchRow[] = [];
  try {
    const db = await getDb();
    console.log(`Scratch database ${new URL(url).pathname.slice(1)}${quick ? " (--quick: small sizes)" : ""}`);
    const calcomParts = CALCOM_PARTS.filter(wanted);
    const modules: [string, () => Promise<BenchRow[]>][] = [
      ...(wanted("queries")
        ? [
            ["queries: metrics windows and webhook log pages", () => benchQueries(db, ctx)] as [
              string,
              () => Promise<BenchRow[]>,
            ],
          ]
        : []),
      ...(calcomParts.length
        ? [
            [`Cal.com client: ${calcomParts.join(", ")}`, () => benchCalcom(db, ctx, calcomParts)] as [
              string,
              () => Promise<BenchRow[]>,
            ],
          ]
        : []),
      // Ingest builds and starts the app (next start) on a scratch database of its own.
      ...(wanted("ingest")
        ? [
            [
              "webhook ingest and processing",
              () =>
                settle(url).then(() =>
                  benchIngest({
                    log: ctx.log,
                    // Full size: seven short runs per sender count (the defaults), whose ratios vary less than three
                    // long ones on a machine whose speed drifts from minute to minute.
                    ...(quick
                      ? { runs: ctx.runs, durationMs: 2_000, processCount: 1_000, drainCount: 2_000 }
                      : { drainCount: 100_000 }),
                  }),
                ),
            ] as [string, () => Promise<BenchRow[]>],
          ]
        : []),
    ];
    for (const [title, run] of modules) {
      console.log(`\n${title}`);
      rows.push(...(await run()));
    }
  } finally {
    await closeDb();
    if (!process.env.KEEP_BENCH_DB) await dropDatabase(url);
  }
  printTable(rows);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
  const out = path.join(process.cwd(), "bench", "results.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), quick, runs: ctx.runs, machine, seconds: Math.round((performance.now() - started) / 1000), rows }, null, 2)}\n`,
  );
  console.log(`\nWrote ${path.relative(process.cwd(), out)}.`);
  if (rows.some((r) => r.pass === false)) process.exitCode = 1;
}

await main();
