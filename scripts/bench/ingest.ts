// The webhook ingest benchmark (issue 14): the app under `next start` with its workers on, against a do-nothing
// route in the same build at the webhook URL's shape (/api/bench/noop/{slug}; the static /api/bench/noop is reported
// beside it) and a bare node:http + postgres.js receiver, at 1, 16 and 64 senders,
// median of 7 runs of 2.5 s windows, each ratio taken within one run; then processing throughput and the drain of a
// backlog while ingest goes on. Needs the local PostgreSQL (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432)
// and a build (made into BENCH_DIST_DIR, default .next-bench, when missing). Run alone:
//   node --import tsx scripts/bench/ingest.ts   (BENCH_QUICK=1: 1 run of 3 s, smaller backlogs; BENCH_SENDERS=1,16,
//   BENCH_RUNS, BENCH_MS, BENCH_DRAIN, BENCH_PROCESS, BENCH_CPU_PROF=dir, BENCH_KEEP_DB=1,
//   BENCH_WORKERS=off: the request path alone)
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { createDatabase, dropDatabase } from "../../test/pg-admin";
import { runLoad, type LoadResult } from "./load";
import {
  ensureBenchBuild,
  pendingCount,
  seedBacklog,
  seedCompany,
  startApp,
  startBare,
  waitDrained,
  type BenchCompany,
} from "./servers";
import type { BenchRow } from "./types";

export type IngestBenchOptions = {
  senders?: number[];
  runs?: number;
  durationMs?: number;
  drainCount?: number;
  /** Backlog for the processing-throughput figure (default 5,000). */
  processCount?: number;
  port?: number;
  distDir?: string;
  /** false: the app runs with JOB_WORKERS=off (the request path alone; processing figures are skipped). */
  workers?: boolean;
  /** Write V8 CPU profiles of the app (node --cpu-prof) into this folder. */
  cpuProfDir?: string;
  log?: (line: string) => void;
};

/** Stops what a run started (children, scratch database) when the standalone run is interrupted. */
const cleanups = new Set<() => Promise<void>>();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function benchIngest(opts: IngestBenchOptions = {}): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const senders = opts.senders ?? [1, 16, 64];
  const runs = opts.runs ?? 7;
  const durationMs = opts.durationMs ?? 2500;
  const drainCount = opts.drainCount ?? 100_000;
  const port = opts.port ?? 3190;
  const distDir = opts.distDir ?? process.env.BENCH_DIST_DIR ?? ".next-bench";
  ensureBenchBuild(distDir);
  const databaseUrl = await createDatabase("bench_ingest");
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  // eslint-disable-next-line prefer-const -- cleanup may run before the app has started
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  const cleanup = async () => {
    await bare?.stop();
    await app?.stop();
    await sql.end({ timeout: 2 });
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(databaseUrl);
  };
  cleanups.add(cleanup);
  const workers = opts.workers ?? true;
  app = await startApp({
    port,
    databaseUrl,
    distDir,
    cpuProfDir: opts.cpuProfDir,
    extraEnv: workers ? {} : { JOB_WORKERS: "off" },
  });
  const rows: BenchRow[] = [];
  try {
    const co = await seedCompany(sql);
    bare = await startBare({ port: port + 1, databaseUrl, secret: co.secret, companyId: co.companyId });
    // The do-nothing route the targets compare with sits at the webhook URL's shape (one dynamic segment): Next
    // matches a dynamic segment on every request, which a static route skips (docs/performance.md).
    const urls = {
      noop: `http://127.0.0.1:${port}/api/bench/noop/${co.slug}`,
      staticNoop: `http://127.0.0.1:${port}/api/bench/noop`,
      webhook: `http://127.0.0.1:${port}/api/webhooks/calcom/${co.slug}`,
      bare: `http://127.0.0.1:${port + 1}/`,
    };
    const load = (url: string, n: number, ms = durationMs) =>
      runLoad({ url, senders: n, durationMs: ms, secret: co.secret, eventTypeId: co.eventTypeId, warmupMs: 500 });
    // Warm up both routes alike (JIT, connection pools, the secret cache): a cold baseline flatters the ratios.
    await load(urls.noop, 4, 2000);
    await load(urls.staticNoop, 4, 2000);
    await load(urls.webhook, 4, 2000);
    if (workers) await waitDrained(sql, 60_000);

    let processing: { rate: number; lagMs: number } | undefined;
    for (const n of senders) {
      type Run = {
        noop: LoadResult;
        staticNoop: LoadResult;
        webhook: LoadResult;
        bare: LoadResult;
        drainMs: number;
        backlog: number;
      };
      const per: Run[] = [];
      // The webhook window, then its backlog (what the worker had not caught up with) drained before anything else.
      const webhookWindow = async () => {
        const result = await load(urls.webhook, n);
        const backlog = await pendingCount(sql);
        return { result, backlog, drainMs: workers ? await waitDrained(sql, 120_000) : 0 };
      };
      for (let r = 0; r < runs; r++) {
        // Every other run measures the webhook route first, so a machine that drifts over a minute weighs on both
        // routes alike.
        const noopBefore = r % 2 === 0 ? await load(urls.noop, n) : undefined;
        const { result: webhook, backlog, drainMs } = await webhookWindow();
        const noop = noopBefore ?? (await load(urls.noop, n));
        const staticNoop = await load(urls.staticNoop, n);
        const bareResult = await load(urls.bare, n);
        per.push({ noop, staticNoop, webhook, bare: bareResult, drainMs, backlog });
        log(
          `[bench] ingest ${n} senders run ${r + 1}: noop ${round(noop.rps, 0)}/s p50 ${round(noop.p50)} p99 ${round(noop.p99)} | webhook ${round(webhook.rps, 0)}/s p50 ${round(webhook.p50)} p99 ${round(webhook.p99)} (errors ${webhook.errors}, backlog after ${backlog}, drained in ${round(drainMs, 0)} ms) | static noop ${round(staticNoop.rps, 0)}/s p50 ${round(staticNoop.p50)} | bare ${round(bareResult.rps, 0)}/s`,
        );
      }
      const rps = median(per.map((p) => p.webhook.rps));
      const noopRps = median(per.map((p) => p.noop.rps));
      const ratio = median(per.map((p) => p.webhook.rps / p.noop.rps));
      const p99Ratio = median(per.map((p) => p.webhook.p99 / p.noop.p99));
      const p50Ratio = median(per.map((p) => p.webhook.p50 / p.noop.p50));
      rows.push({
        name: `ingest ${n} senders: deliveries/s vs do-nothing route`,
        value: round(rps, 0),
        unit: "req/s",
        baseline: round(noopRps, 0),
        ratio: round(ratio),
        ...(n === 16 ? { target: "ratio >= 0.8", pass: ratio >= 0.8 } : {}),
      });
      rows.push({
        name: `ingest ${n} senders: deliveries/s vs static do-nothing route`,
        value: round(rps, 0),
        unit: "req/s",
        baseline: round(median(per.map((p) => p.staticNoop.rps)), 0),
        ratio: round(median(per.map((p) => p.webhook.rps / p.staticNoop.rps))),
      });
      rows.push({
        name: `ingest ${n} senders: deliveries/s vs bare node:http receiver`,
        value: round(rps, 0),
        unit: "req/s",
        baseline: round(median(per.map((p) => p.bare.rps)), 0),
        ratio: round(median(per.map((p) => p.webhook.rps / p.bare.rps))),
      });
      rows.push({
        name: `ingest ${n} senders: p99 vs do-nothing route`,
        value: round(median(per.map((p) => p.webhook.p99))),
        unit: "ms",
        baseline: round(median(per.map((p) => p.noop.p99))),
        ratio: round(p99Ratio),
        ...(n === 16 ? { target: "ratio <= 1.5", pass: p99Ratio <= 1.5 } : {}),
      });
      rows.push({
        name: `ingest ${n} senders: p50 vs do-nothing route`,
        value: round(median(per.map((p) => p.webhook.p50))),
        unit: "ms",
        baseline: round(median(per.map((p) => p.noop.p50))),
        ratio: round(p50Ratio),
        ...(n === 1 ? { target: "ratio <= 2", pass: p50Ratio <= 2 } : {}),
      });
      rows.push({
        name: `ingest ${n} senders: errors (non-2xx)`,
        value: per.reduce((s, p) => s + p.webhook.errors, 0),
        unit: "requests",
      });
      if (n === 16) {
        // Keeps up: the backlog left when 16 senders stop, and how long the worker needs for it.
        const backlog = median(per.map((p) => p.backlog));
        const lagMs = median(per.map((p) => p.drainMs));
        processing = { rate: rps, lagMs };
        rows.push({
          name: "processing at 16 senders: backlog left when ingest stops",
          value: backlog,
          unit: "deliveries",
          target: "drained within 2 s",
          pass: lagMs <= 2000,
        });
      }
    }

    if (!workers) return rows;
    // Processing throughput alone: a backlog and nothing else running.
    const processCount = opts.processCount ?? 5000;
    const t0 = performance.now();
    await seedBacklog(sql, co, processCount);
    const drained = await waitDrained(sql, 600_000);
    const procRate = processCount / ((performance.now() - t0) / 1000);
    rows.push({
      name: `processing throughput (${processCount.toLocaleString("en")} backlog, no ingest)`,
      value: round(procRate, 0),
      unit: "deliveries/s",
      ...(processing
        ? {
            baseline: round(processing.rate, 0),
            ratio: round(procRate / processing.rate),
            target: ">= ingest rate at 16 senders",
            pass: procRate >= processing.rate,
          }
        : {}),
    });
    log(`[bench] processing: ${processCount} in ${round(drained, 0)} ms`);

    rows.push(...(await benchDrain(sql, co, { drainCount, load: (url, ms) => load(url, 16, ms), urls, log })));
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
  return rows;
}

/**
 * The drain of a large backlog while 16 senders keep posting: windows of ingest alternate with windows on the
 * do-nothing route (the machine's load moves, so each ratio is taken from neighbouring windows), up to maxWindows;
 * then the rest drains without ingest. Drain time is from the seed's commit to an empty queue.
 */
async function benchDrain(
  sql: postgres.Sql,
  co: BenchCompany,
  o: {
    drainCount: number;
    load: (url: string, ms: number) => Promise<LoadResult>;
    urls: { noop: string; webhook: string };
    log: (l: string) => void;
    maxWindows?: number;
  },
): Promise<BenchRow[]> {
  const seeded = performance.now();
  await seedBacklog(sql, co, o.drainCount);
  const seedMs = performance.now() - seeded;
  const started = performance.now();
  const ratios: number[] = [];
  const during: number[] = [];
  let left = await pendingCount(sql);
  for (let w = 0; w < (o.maxWindows ?? 10) && left > 0; w++) {
    const noop = await o.load(o.urls.noop, 2000);
    const hook = await o.load(o.urls.webhook, 2000);
    ratios.push(hook.rps / noop.rps);
    during.push(hook.rps);
    left = await pendingCount(sql);
    o.log(`[bench] drain: ingest ${Math.round(hook.rps)}/s vs noop ${Math.round(noop.rps)}/s, ${left} pending`);
  }
  const drainMs = performance.now() - started + (await waitDrained(sql, 30 * 60_000));
  left = await pendingCount(sql);
  const ratio = median(ratios);
  return [
    {
      name: `drain of ${o.drainCount.toLocaleString("en")} deliveries (16-sender ingest in the first windows)`,
      value: Math.round(drainMs / 1000),
      unit: "s",
      target: "drains",
      pass: left === 0,
    },
    {
      name: `drain of ${o.drainCount.toLocaleString("en")}: seeding by direct insert`,
      value: Math.round(seedMs / 1000),
      unit: "s",
    },
    {
      name: "ingest during the drain vs do-nothing route (16 senders)",
      value: Math.round(median(during)),
      unit: "req/s",
      ratio: round(ratio),
      target: "ratio >= 0.5",
      pass: ratio >= 0.5,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(
      signal,
      () => void Promise.all([...cleanups].map((c) => c().catch(() => {}))).finally(() => process.exit(130)),
    );
  }
  const quick = process.env.BENCH_QUICK === "1";
  // The variable when set, else the quick size, else benchIngest's own full-size default.
  const size = (name: string, quickValue: number) => {
    const set = process.env[name];
    return set !== undefined ? Number(set) : quick ? quickValue : undefined;
  };
  const rows = await benchIngest({
    runs: size("BENCH_RUNS", 1),
    durationMs: size("BENCH_MS", 3000),
    drainCount: size("BENCH_DRAIN", 20_000),
    processCount: size("BENCH_PROCESS", 2000),
    senders: process.env.BENCH_SENDERS ? process.env.BENCH_SENDERS.split(",").map(Number) : undefined,
    cpuProfDir: process.env.BENCH_CPU_PROF,
    workers: process.env.BENCH_WORKERS !== "off",
  });
  console.table(rows);
  process.exit(0);
}
