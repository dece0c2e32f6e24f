import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { BenchRow } from "./types";

/** Shared by the bench modules: medians, child processes with their peak RSS, rows with targets. */

export type BenchContext = {
  /** The scratch database (migrated), also handed to child processes. */
  databaseUrl: string;
  quick: boolean;
  /** Runs per figure (median taken): at least 3. */
  runs: number;
  log: (line: string) => void;
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** CPU time (user + system, ms) a process has used, from /proc in 10 ms ticks; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Median wall time (ms) of `runs` calls of fn, after one warm-up call. */
export async function medianMs(
  runs: number,
  fn: (i: number) => Promise<unknown>,
  opts: { warmup?: boolean } = {},
): Promise<number> {
  if (opts.warmup !== false) await fn(-1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A row with its ratio to a baseline and whether it meets `maxRatio`. */
export function ratioRow(name: string, value: number, unit: string, baseline: number, maxRatio: number): BenchRow {
  const ratio = baseline > 0 ? value / baseline : Number.POSITIVE_INFINITY;
  return {
    name,
    value: round(value),
    unit,
    baseline: round(baseline),
    ratio: round(ratio, 3),
    target: `ratio <= ${maxRatio}`,
    pass: ratio <= maxRatio,
  };
}

export function maxRow(name: string, value: number, unit: string, max: number): BenchRow {
  return { name, value: round(value), unit, target: `<= ${max} ${unit}`, pass: value <= max };
}

export type ChildResult<T> = { result: T; maxRssMb: number; wallMs: number };

/**
 * Runs one task of scripts/bench/child.ts in its own `node --import tsx` process, so its peak RSS
 * (process.resourceUsage().maxRSS) is the task's own and not the runner's.
 */
export function runChild<T>(
  ctx: BenchContext,
  task: string,
  input: unknown,
  env: Record<string, string> = {},
): Promise<ChildResult<T>> {
  const entry = path.join(import.meta.dirname, "child.ts");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", entry, task, JSON.stringify(input)],
      {
        env: { ...process.env, DATABASE_URL: ctx.databaseUrl, JOB_WORKERS: "off", ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !last.startsWith("{"))
        return reject(new Error(`bench child ${task} exited ${code}: ${out.slice(-2000)}`));
      const parsed = JSON.parse(last) as { result: T; maxRssKb: number };
      resolve({ result: parsed.result, maxRssMb: parsed.maxRssKb / 1024, wallMs: performance.now() - started });
    });
  });
}
