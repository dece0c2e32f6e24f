import { z } from "zod";
import { companyIdSchema } from "@/lib/http/params";

/**
 * The panel's three windows and their bucket sizes (12, 24 and 28 points), and where their call figures come from:
 * the raw log (exact percentiles) for 1 h, the rollups for 24 h (5-minute) and 7 d (hourly): their cost grows with
 * buckets, not calls.
 */
export const METRIC_WINDOWS = {
  "1h": { ms: 60 * 60_000, bucketMs: 5 * 60_000, bucket: "5 minutes", source: "log" },
  "24h": { ms: 24 * 60 * 60_000, bucketMs: 60 * 60_000, bucket: "1 hour", source: "rollups", grain: "5m" },
  "7d": { ms: 7 * 24 * 60 * 60_000, bucketMs: 6 * 60 * 60_000, bucket: "6 hours", source: "rollups", grain: "1h" },
} as const;
export type MetricWindow = keyof typeof METRIC_WINDOWS;

export const metricsQuerySchema = z.object({
  window: z.enum(["1h", "24h", "7d"]).default("24h"),
  companyId: companyIdSchema.optional(),
});
export type MetricsQuery = z.input<typeof metricsQuerySchema>;

/** [from, to) aligned to whole buckets, so consecutive polls show the same bucket boundaries. */
export function windowBounds(
  window: MetricWindow,
  now: Date,
): { from: Date; to: Date; bucketMs: number; buckets: Date[] } {
  const { ms, bucketMs } = METRIC_WINDOWS[window];
  const to = new Date(Math.ceil((now.getTime() + 1) / bucketMs) * bucketMs);
  const from = new Date(to.getTime() - ms);
  const buckets: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += bucketMs) buckets.push(new Date(t));
  return { from, to, bucketMs, buckets };
}

/** Rates are null, not 0, when nothing was measured: "no traffic" is not "everything failed". */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
