import "server-only";
import { and, gt, inArray, lt, or, isNull, sql } from "drizzle-orm";
import { signInThrottle } from "@/drizzle/schema/auth";
import { getEnv } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/types";

/**
 * Sign-in throttling, state in PostgreSQL so every instance agrees. Two counters per failed attempt: the account from
 * this address (SIGNIN_MAX_FAILURES, default 10 in SIGNIN_WINDOW_MINUTES, default 15) and the address across accounts
 * (SIGNIN_ADDRESS_MAX_FAILURES, default 100). Reaching either limit refuses every attempt it covers, right password
 * or not, for SIGNIN_LOCKOUT_MINUTES. Unknown emails are counted like known ones, so lockouts reveal nothing.
 */
export type ThrottleScope = "account" | "address";
export type ThrottleTarget = { email: string; address: string };
export type ThrottleBlock = { scope: ThrottleScope; retryAfterSeconds: number };

function keys(target: ThrottleTarget): Record<ThrottleScope, string> {
  return { account: `account:${target.email}|${target.address}`, address: `address:${target.address}` };
}

function limits() {
  const env = getEnv();
  return {
    account: env.SIGNIN_MAX_FAILURES,
    address: env.SIGNIN_ADDRESS_MAX_FAILURES,
    windowMinutes: env.SIGNIN_WINDOW_MINUTES,
    lockoutMinutes: env.SIGNIN_LOCKOUT_MINUTES,
  };
}

/** The longest block in force for this attempt, if any; the refusal is counted on the row instead of being audited. */
export async function findSignInBlock(db: DbOrTx, target: ThrottleTarget): Promise<ThrottleBlock | null> {
  const k = keys(target);
  const rows = await db
    .update(signInThrottle)
    .set({ refused: sql`${signInThrottle.refused} + 1` })
    .where(and(inArray(signInThrottle.key, [k.account, k.address]), gt(signInThrottle.blockedUntil, sql`now()`)))
    .returning({
      key: signInThrottle.key,
      seconds: sql<number>`ceil(extract(epoch from (${signInThrottle.blockedUntil} - now())))::int`,
    });
  const longest = rows.sort((a, b) => b.seconds - a.seconds)[0];
  if (!longest) return null;
  return {
    scope: longest.key === k.account ? "account" : "address",
    retryAfterSeconds: Math.max(1, Number(longest.seconds)),
  };
}

/** Counts one failure on both keys (one atomic upsert each); returns the scopes this failure just locked. */
export async function recordSignInFailure(db: DbOrTx, target: ThrottleTarget): Promise<ThrottleScope[]> {
  const k = keys(target);
  const lim = limits();
  const locked: ThrottleScope[] = [];
  for (const scope of ["account", "address"] as const) {
    const max = lim[scope];
    const expired = sql`${signInThrottle.windowStart} < now() - make_interval(mins => ${lim.windowMinutes})`;
    const next = sql`(case when ${expired} then 1 else ${signInThrottle.failures} + 1 end)`;
    const lockUntil = sql`now() + make_interval(mins => ${lim.lockoutMinutes})`;
    const [row] = await db
      .insert(signInThrottle)
      .values({ key: k[scope], failures: 1, blockedUntil: max <= 1 ? lockUntil : null })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          failures: next,
          windowStart: sql`case when ${expired} then now() else ${signInThrottle.windowStart} end`,
          blockedUntil: sql`case when ${next} >= ${max} then ${lockUntil} else ${signInThrottle.blockedUntil} end`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ failures: signInThrottle.failures });
    // Attempts are refused while blocked, so a count at or past the limit means this failure (re)started a block.
    if (row && row.failures >= max) locked.push(scope);
  }
  return locked;
}

/** A successful sign-in clears the account's counter for this address (the address counter keeps running). */
export async function clearSignInFailures(db: DbOrTx, target: ThrottleTarget): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keys(target).account]));
}

/** Housekeeping: rows whose window and block are both over. */
export async function pruneSignInThrottle(db: DbOrTx): Promise<void> {
  const lim = limits();
  const minutes = Math.max(lim.windowMinutes, lim.lockoutMinutes);
  await db
    .delete(signInThrottle)
    .where(
      and(
        lt(signInThrottle.updatedAt, sql`now() - make_interval(mins => ${minutes})`),
        or(isNull(signInThrottle.blockedUntil), lt(signInThrottle.blockedUntil, sql`now()`)),
      ),
    );
}

export function throttleMessage(block: ThrottleBlock): string {
  const minutes = Math.max(1, Math.ceil(block.retryAfterSeconds / 60));
  return `Too many attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}
