/**
 * The fixed latency histogram of the call rollups: upper bounds (ms, exclusive) of buckets 0..n-2; the last bucket
 * is open-ended. The same bounds are written into the rollup trigger (drizzle/migrations, width_bucket), so changing
 * them needs a migration and a rebuild of the rollups.
 */
const LATENCY_BOUNDS_MS = [
  5, 10, 20, 30, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 20_000, 30_000,
  60_000,
] as const;
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** [lower, upper) of bucket i; the open last bucket reports its lower bound twice (no upper edge to interpolate to). */
export function bucketRange(i: number): [number, number] {
  const lo = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
  const hi = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i]! : lo;
  return [lo, hi];
}

/** The bucket a duration falls in (what PostgreSQL's width_bucket(d, bounds) returns). */
export function bucketOf(ms: number): number {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && ms >= LATENCY_BOUNDS_MS[i]!) i++;
  return i;
}

/**
 * The q-quantile estimated from bucket counts, interpolated linearly inside the bucket that holds it (the same
 * position convention as percentile_cont: rank q * (n - 1)). Exact to within that bucket's width.
 */
export function histogramQuantile(counts: readonly number[], q: number): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = q * (n - 1);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && rank < seen + c) {
      const [lo, hi] = bucketRange(i);
      // Spread the bucket's c values evenly over [lo, hi): value k sits at lo + (k + 0.5) / c * (hi - lo).
      return lo + Math.min(1, (rank - seen + 0.5) / c) * (hi - lo);
    }
    seen += c;
  }
  return bucketRange(counts.length - 1)[0];
}
