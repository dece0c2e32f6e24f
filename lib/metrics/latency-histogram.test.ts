import { describe, expect, it } from "vitest";
import { bucketOf, bucketRange, histogramQuantile, LATENCY_BUCKETS } from "./latency-histogram";

describe("latency histogram", () => {
  it("puts a duration in the bucket whose range holds it", () => {
    expect([bucketOf(0), bucketOf(4), bucketOf(5), bucketOf(99), bucketOf(100), bucketOf(999_999)]).toEqual([
      0,
      0,
      1,
      6,
      7,
      LATENCY_BUCKETS - 1,
    ]);
    expect(bucketRange(7)).toEqual([100, 150]);
  });

  it("estimates a quantile inside the bucket of the exact value", () => {
    const values = [12, 40, 41, 77, 120, 130, 160, 480, 900, 2100];
    const counts = Array<number>(LATENCY_BUCKETS).fill(0);
    for (const v of values) counts[bucketOf(v)]!++;
    // percentile_cont(0.5) of the values is 125 (between 120 and 130), in bucket [100, 150).
    const p50 = histogramQuantile(counts, 0.5)!;
    expect(p50).toBeGreaterThanOrEqual(100);
    expect(p50).toBeLessThan(150);
    expect(histogramQuantile(Array<number>(LATENCY_BUCKETS).fill(0), 0.5)).toBeNull();
  });
});
