import "server-only";
import type { Db } from "@/lib/db/types";
import { DEMO_TENANTS } from "../catalog";
import { sandboxTenants, type HistoryContext, type TenantState } from "./context";
import { caller, createPrng } from "./plan";
import { cancelCall, phoneCall } from "./traffic";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Demo companies whose Cal.com is the sandbox on this machine: live traffic never leaves the loopback interface. */
export async function loopbackTenants(db: Db): Promise<TenantState[]> {
  return (await sandboxTenants(db)).filter((t) => LOOPBACK.has(new URL(t.baseUrl).hostname));
}

export type LiveTrafficOptions = {
  minutes: number;
  perMinute: number;
  seed: number;
  signal: AbortSignal;
  log: (line: string) => void;
};

/** Phone calls at today's time against the running server's sandbox, until the time is up or the signal aborts. */
export async function runLiveTraffic(
  db: Db,
  tenants: TenantState[],
  opts: LiveTrafficOptions,
): Promise<Record<string, number>> {
  const rand = createPrng(opts.seed);
  const ctx: HistoryContext = { db, tenants: new Map(tenants.map((t) => [t.company.slug, t])), counts: {} };
  const until = Date.now() + opts.minutes * 60_000;
  const gapMs = 60_000 / opts.perMinute;
  for (let n = 1; Date.now() < until && !opts.signal.aborted; n++) {
    const t = tenants[Math.floor(rand() * tenants.length)]!;
    const catalog = DEMO_TENANTS.find((d) => d.slug === t.company.slug)!;
    const service = catalog.services[Math.floor(rand() * catalog.services.length)]!.name;
    try {
      if (rand() < 0.1) await cancelCall(ctx, t, rand());
      else
        await phoneCall(ctx, t, {
          at: new Date(),
          tenant: t.company.slug,
          kind: "call",
          service,
          daysAhead: 1 + Math.floor(rand() * 4),
          caller: caller(rand, n),
          books: rand() < 0.6,
          pick: rand(),
          idempotencyKey: `demo-live-${Date.now()}-${n}`,
        });
    } catch (error) {
      ctx.counts.errors = (ctx.counts.errors ?? 0) + 1;
      opts.log(`call ${n} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (n % 5 === 0)
      opts.log(
        `${n} calls: ${JSON.stringify(Object.fromEntries(Object.entries(ctx.counts).filter(([k]) => !k.startsWith("ms."))))}`,
      );
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, gapMs * (0.5 + rand()));
      opts.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve(null);
        },
        { once: true },
      );
    });
  }
  return ctx.counts;
}
