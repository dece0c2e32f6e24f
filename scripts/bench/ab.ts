// Paired A/B of two variants of the app (issue 14's probes, docs/performance.md): two `next start` of one build, each
// on its own scratch database with a seeded company, measured in alternating 2.5 s windows (the do-nothing route and
// the webhook route, each app's backlog drained before the next window), so a machine that drifts weighs on both.
// Prints each pair, each side's median ratios and the paired B/A ratio of the ratios. Run alone:
//   node --conditions=react-server --import tsx scripts/bench/ab.ts
// ENV_A / ENV_B: JSON objects of environment variables for each app (for example '{"JOB_WORKERS":"off"}');
// SQL_A / SQL_B: SQL run on that app's database after it migrated; SENDERS (16), PAIRS (8), MS (2500).
import postgres from "postgres";
import { createDatabase, dropDatabase } from "../../test/pg-admin";
import { median } from "./harness";
import { runLoad, type LoadResult } from "./load";
import { ensureBenchBuild, seedCompany, startApp, waitDrained, type BenchCompany } from "./servers";

type Side = {
  name: "a" | "b";
  port: number;
  sql: postgres.Sql;
  co: BenchCompany;
  hasWorkers: boolean;
  stop: () => Promise<void>;
};
type Ratios = { throughput: number; p50: number; p99: number };

const r2 = (x: number) => x.toFixed(2);
const distDir = process.env.BENCH_DIST_DIR ?? ".next-bench";
const senders = Number(process.env.SENDERS ?? 16);
const pairs = Number(process.env.PAIRS ?? 8);
const windowMs = Number(process.env.MS ?? 2500);

async function startSide(name: Side["name"], port: number): Promise<Side> {
  const env = JSON.parse(process.env[`ENV_${name.toUpperCase()}`] ?? "{}") as Record<string, string>;
  const databaseUrl = await createDatabase(`bench_ab_${name}`);
  const app = await startApp({ port, databaseUrl, distDir, extraEnv: env });
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const co = await seedCompany(sql);
  const extra = process.env[`SQL_${name.toUpperCase()}`];
  if (extra) await sql.unsafe(extra);
  const stop = async () => {
    await app.stop();
    await sql.end({ timeout: 2 });
    await dropDatabase(databaseUrl);
  };
  return { name, port, sql, co, hasWorkers: env.JOB_WORKERS !== "off", stop };
}

async function drain(side: Side): Promise<void> {
  if (side.hasWorkers) await waitDrained(side.sql, 60_000);
}

const load = (side: Side, route: "noop" | "webhook", n: number, durationMs = windowMs): Promise<LoadResult> =>
  runLoad({
    url: `http://127.0.0.1:${side.port}/api/${route === "noop" ? "bench/noop" : "webhooks/calcom"}/${side.co.slug}`,
    senders: n,
    durationMs,
    secret: side.co.secret,
    eventTypeId: side.co.eventTypeId,
    warmupMs: 500,
  });

/** One window per route, the do-nothing route first in half of the pairs. */
async function measure(side: Side, pair: number): Promise<Ratios & { line: string }> {
  const noopFirst = pair % 4 < 2;
  let noop = noopFirst ? await load(side, "noop", senders) : undefined;
  const webhook = await load(side, "webhook", senders);
  await drain(side);
  noop ??= await load(side, "noop", senders);
  const ratios = { throughput: webhook.rps / noop.rps, p50: webhook.p50 / noop.p50, p99: webhook.p99 / noop.p99 };
  const line = `${side.name}: noop ${Math.round(noop.rps)}/s p50 ${r2(noop.p50)} | webhook ${Math.round(webhook.rps)}/s p50 ${r2(webhook.p50)} (errors ${webhook.errors}) | ${r2(ratios.throughput)}, p50 ${r2(ratios.p50)}x`;
  return { ...ratios, line };
}

ensureBenchBuild(distDir);
const sides: Side[] = [];
try {
  sides.push(await startSide("a", 3300), await startSide("b", 3310));
  for (const side of sides) {
    await load(side, "noop", 4, 2000);
    await load(side, "webhook", 4, 2000);
    await drain(side);
  }
  const got: Record<Side["name"], Ratios[]> = { a: [], b: [] };
  for (let pair = 0; pair < pairs; pair++) {
    const lines: string[] = [];
    for (const side of pair % 2 === 0 ? sides : [...sides].reverse()) {
      const m = await measure(side, pair);
      got[side.name].push(m);
      lines.push(m.line);
    }
    console.log(`pair ${pair + 1}: ${lines.join(" || ")}`);
  }
  for (const name of ["a", "b"] as const)
    console.log(
      `${name}: median throughput ${r2(median(got[name].map((x) => x.throughput)))}, p50 ${r2(median(got[name].map((x) => x.p50)))}x, p99 ${r2(median(got[name].map((x) => x.p99)))}x`,
    );
  const paired = (key: keyof Ratios) => r2(median(got.b.map((b, i) => b[key] / got.a[i]![key])));
  console.log(`paired b/a: throughput ${paired("throughput")}, p50 ${paired("p50")}`);
} finally {
  for (const side of sides) await side.stop();
}
