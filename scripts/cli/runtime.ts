import os from "node:os";
import { eq } from "drizzle-orm";
import { companies, type Company } from "@/drizzle/schema/core";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { ZodError } from "zod";
import { AppError, badRequestFromZod } from "@/lib/errors";

/** Exit codes: 0 healthy / done, 1 unhealthy or failed, 2 usage (bad arguments, unknown company). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliIo = { out: (line: string) => void; err: (line: string) => void };
export type CliContext = {
  db: () => Promise<Db>;
  io: CliIo;
  json: boolean;
  actor: Actor;
  signal?: AbortSignal;
  progress?: ProgressSink;
};
/** Where progress bars go: stderr of a terminal (never in --json mode, never into captured output). */
export type ProgressSink = (line: string, isDone: boolean) => void;
/** Wraps a command body: the program records its exit code. */
export type Run = (fn: (ctx: CliContext) => Promise<ExitCode>) => () => Promise<void>;

/** A usage problem found after parsing (unknown company, bad date): exit code 2 with a message. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function cliActor(): Actor {
  let user = "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return { kind: "system", label: `cli:${user}`, role: "operator" };
}

/** Prints the result as JSON (one document) or as text lines, and returns the exit code. */
export function emit(ctx: CliContext, result: { ok: boolean; data: unknown; text: string[] }): ExitCode {
  if (ctx.json) ctx.io.out(JSON.stringify(result.data, null, 2));
  else for (const line of result.text) ctx.io.out(line);
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** --company takes an id or a slug; without it, the default company (or the only one). */
export async function resolveCompany(db: Db, ref: string | undefined): Promise<Company> {
  if (ref) {
    const byId = /^\d+$/.test(ref)
      ? await db
          .select()
          .from(companies)
          .where(eq(companies.id, Number(ref)))
      : [];
    const rows = byId.length ? byId : await db.select().from(companies).where(eq(companies.slug, ref));
    if (!rows[0]) throw new UsageError(`No company "${ref}" (give an id or a slug)`);
    return rows[0];
  }
  const all = await db.select().from(companies);
  const chosen = all.find((c) => c.isDefault) ?? (all.length === 1 ? all[0] : undefined);
  if (!chosen) throw new UsageError("Several companies and no default: pass --company <id|slug>");
  return chosen;
}

/** --company narrows to one; otherwise every company (undefined). */
export async function optionalCompanyId(db: Db, ref: string | undefined): Promise<number | undefined> {
  return ref ? (await resolveCompany(db, ref)).id : undefined;
}

export function parseDate(value: string, name: string): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} must be a date (YYYY-MM-DD) or an ISO time`);
  return d.toISOString();
}

export const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);

export function describeError(error: unknown): { message: string; isUsage: boolean } {
  if (error instanceof UsageError) return { message: error.message, isUsage: true };
  if (error instanceof AppError)
    return { message: error.message, isUsage: error.code === "BAD_REQUEST" || error.code === "NOT_FOUND" };
  if (error instanceof ZodError) return { message: badRequestFromZod(error).message, isUsage: true };
  if (error instanceof Error && "calCode" in error)
    return { message: `${String((error as { calCode: string }).calCode)}: ${error.message}`, isUsage: false };
  return { message: error instanceof Error ? error.message : String(error), isUsage: false };
}

/** A one-line progress bar redrawn with \r; silent unless the CLI runs attached to a terminal. */
export function startProgress(
  ctx: CliContext,
  label: string,
  total: number,
): { tick: (detail?: string) => void; done: () => void } {
  let n = 0;
  const draw = (detail: string, isDone: boolean) => {
    if (!ctx.progress || ctx.json) return;
    const width = 24;
    const filled = total > 0 ? Math.round((n / total) * width) : width;
    ctx.progress(
      `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${n}/${total}${detail ? ` ${detail}` : ""}`,
      isDone,
    );
  };
  return {
    tick: (detail = "") => {
      n++;
      draw(detail, false);
    },
    done: () => draw("", true),
  };
}

/** Nearest-rank percentile of measured values (ms); null without values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
