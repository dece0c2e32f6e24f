import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import { Registry, type Metric } from "prom-client";
import { getEnv } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { collectMetrics, type MetricFamily } from "./collect";

/**
 * GET /api/metrics: the Prometheus text format, rendered by prom-client from values read out of PostgreSQL at scrape
 * time (a custom collector per metric family). Several Prometheus servers, or a short scrape interval, share one
 * reading for CACHE_MS per instance.
 */

const CACHE_MS = 5_000;
let cached: { at: number; text: string } | null = null;

/** A prom-client metric whose values were computed beforehand (from the database), not observed in this process. */
function precomputed(family: MetricFamily): Metric {
  return {
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: "sum",
    get: async () => ({
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: "sum",
      values: family.values,
    }),
  } as unknown as Metric;
}

export async function renderMetrics(
  db: Db,
  opts: { now?: Date; bypassCache?: boolean } = {},
): Promise<{ contentType: string; text: string }> {
  const registry = new Registry();
  const nowMs = Date.now();
  if (!opts.bypassCache && cached && nowMs - cached.at < CACHE_MS)
    return { contentType: registry.contentType, text: cached.text };
  const started = performance.now();
  const families = await collectMetrics(db, opts.now);
  families.push({
    name: "calcom_diagnostics_scrape_duration_seconds",
    help: "Time this scrape spent reading PostgreSQL.",
    type: "gauge",
    values: [{ labels: {}, value: (performance.now() - started) / 1000 }],
  });
  for (const f of families) registry.registerMetric(precomputed(f));
  const text = await registry.metrics();
  cached = { at: nowMs, text };
  return { contentType: registry.contentType, text };
}

const digest = (v: string) => createHash("sha256").update(v).digest();

/** METRICS_TOKEN or OPS_API_TOKEN as a bearer token; anything else (no token configured included) is 401. */
export function assertMetricsToken(authorization: string | null): void {
  const env = getEnv();
  const tokens = [env.METRICS_TOKEN, env.OPS_API_TOKEN].filter((t): t is string => Boolean(t));
  const given = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
  if (!given || !tokens.some((t) => timingSafeEqual(digest(t), digest(given)))) {
    throw new AppError(
      "UNAUTHENTICATED",
      tokens.length
        ? "Send the METRICS_TOKEN (or OPS_API_TOKEN) as a bearer token"
        : "Set METRICS_TOKEN to enable /api/metrics",
    );
  }
}
