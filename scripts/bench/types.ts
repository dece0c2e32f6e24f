/** One line of bench/results.json and of the printed table. */
export type BenchRow = {
  name: string;
  value: number;
  unit: string;
  /** The figure this one is compared with, measured in the same run (e.g. the 1 h window, the call timeout). */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** The target as text, e.g. "ratio <= 2" or "<= 10 s". */
  target?: string;
  pass?: boolean;
};
