// One heavy bench task in its own process (spawned by scripts/bench/harness.ts runChild): prints one JSON line with
// the task's result and this process's peak RSS, so the figure is the task's own.
import { resetEnvCache } from "@/lib/config/env";
import { closeDb, getDb } from "@/lib/db/client";
import { getSlots } from "@/lib/calcom/endpoints";
import { createCalcomHttp } from "@/lib/calcom/client";
import { reconcileNow } from "@/lib/reconcile/run";
import { runSync } from "@/lib/sync/sync";

const actor = { kind: "system", label: "bench", role: "admin" } as const;

type Tasks = Record<string, (input: Record<string, unknown>) => Promise<unknown>>;

const tasks: Tasks = {
  /** A live sync of one company through the real client over HTTP. */
  async sync(input) {
    const db = await getDb();
    const t0 = performance.now();
    const run = await runSync(db, { companyId: Number(input.companyId), checkOnly: false, trigger: "manual", actor });
    return { ms: performance.now() - t0, status: run.status, reason: run.reason, counts: run.counts };
  },
  /** A full reconciliation of one company's range: page Cal.com's bookings in, walk both sides. */
  async reconcile(input) {
    const db = await getDb();
    const t0 = performance.now();
    const [run] = await reconcileNow(db, {
      input: { companyId: Number(input.companyId), from: String(input.from), to: String(input.to) },
      actor,
    });
    return {
      ms: performance.now() - t0,
      status: run?.status,
      error: run?.error,
      pages: run?.pages,
      remoteCount: run?.remoteCount,
      localCount: run?.localCount,
      counts: run?.counts,
    };
  },
  /** `n` concurrent identical availability checks, started at the agreed wall-clock time. */
  async coalesce(input) {
    const db = await getDb();
    const http = await createCalcomHttp(db, Number(input.companyId));
    const window = {
      eventTypeId: Number(input.eventTypeId),
      start: new Date(String(input.start)),
      end: new Date(String(input.end)),
      timeZone: "Europe/Berlin",
    };
    const wait = Number(input.startAt) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const results = await Promise.all(Array.from({ length: Number(input.n) }, () => getSlots(http, window)));
    return { misses: results.filter((r) => !r.isCacheHit).length };
  },
};

const [task, json] = process.argv.slice(2);
const run = tasks[task ?? ""];
if (!run) throw new Error(`unknown bench task ${task}`);
resetEnvCache();
const result = await run(JSON.parse(json ?? "{}") as Record<string, unknown>);
await closeDb();
process.stdout.write(`\n${JSON.stringify({ result, maxRssKb: process.resourceUsage().maxRSS })}\n`);
process.exit(0);
