/** One figure of `npm run bench` (scripts/bench.ts collects them into bench/results.json). */
export type BenchRow = {
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, when there is one. */
  baseline?: number;
  /** value / baseline (or the inverse for "lower is better" figures, as the row's name says). */
  ratio?: number;
  /** The target the row is judged against, in words ("ratio >= 0.8"). */
  target?: string;
  pass?: boolean;
};
