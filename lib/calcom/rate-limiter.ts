import "server-only";
import * as clock from "@/lib/time/clock";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/types";
import { queryRows } from "@/lib/db/types";
import { getEnv } from "@/lib/config/env";

/**
 * Client-side token bucket per API key, below Cal.com's 120/min (default 100/min, burst 150), shared by every
 * instance through one row per key. Reservations may go into debt: the caller waits its turn instead of failing,
 * unless the wait would exceed maxWaitMs. Cal.com's own headers (X-RateLimit-*-<Name>) tighten it further.
 */
export type RateLimitConfig = { perMinute: number; burst: number; maxWaitMs: number };
export function defaultRateLimit(): RateLimitConfig {
  const env = getEnv();
  return { perMinute: env.CALCOM_RATE_LIMIT_PER_MINUTE, burst: env.CALCOM_RATE_LIMIT_BURST, maxWaitMs: 5_000 };
}

export function rateLimitKey(apiKey: string | null, baseUrl: string): string {
  return `key:${createHash("sha256")
    .update(`${baseUrl}|${apiKey ?? "anonymous"}`)
    .digest("hex")
    .slice(0, 32)}`;
}

export type Reservation = { waitMs: number } | { rejected: true; retryAfterMs: number };

export async function reserveToken(db: Db, key: string, cfg: RateLimitConfig): Promise<Reservation> {
  const perSecond = cfg.perMinute / 60;
  const now = sql`${clock.now().toISOString()}::timestamptz`;
  const [row] = await queryRows<{ tokens: number; blocked_ms: number | null }>(
    db,
    sql`insert into rate_limit_buckets (key, tokens, updated_at) values (${key}, ${cfg.burst - 1}, ${now})
        on conflict (key) do update set
          tokens = least(${cfg.burst}::float8, rate_limit_buckets.tokens
                   + greatest(0, extract(epoch from (${now} - rate_limit_buckets.updated_at))) * ${perSecond}::float8) - 1,
          updated_at = ${now}
        returning tokens::float8 as tokens,
          (extract(epoch from (blocked_until - ${now})) * 1000)::float8 as blocked_ms`,
  );
  const tokens = Number(row?.tokens ?? 0);
  const blockedMs = Math.max(0, Number(row?.blocked_ms ?? 0));
  const waitMs = Math.max(blockedMs, tokens >= 0 ? 0 : (-tokens / perSecond) * 1000);
  if (waitMs > cfg.maxWaitMs) {
    await db.execute(sql`update rate_limit_buckets set tokens = tokens + 1 where key = ${key}`);
    return { rejected: true, retryAfterMs: Math.ceil(waitMs) };
  }
  return { waitMs: Math.ceil(waitMs) };
}

/** Reads Cal.com's suffixed headers (X-RateLimit-Remaining-Default, …); a 429 blocks the key as Cal.com does (60 s). */
export async function noteUpstreamRateLimit(db: Db, key: string, headers: Headers, status: number): Promise<void> {
  const named = new Map<string, { limit?: number; remaining?: number; reset?: number }>();
  headers.forEach((value, name) => {
    const match = /^x-ratelimit-(limit|remaining|reset)-(.+)$/i.exec(name);
    if (!match) return;
    const entry = named.get(match[2]!.toLowerCase()) ?? {};
    entry[match[1]!.toLowerCase() as "limit" | "remaining" | "reset"] = Number(value);
    named.set(match[2]!.toLowerCase(), entry);
  });
  if (named.size === 0 && status !== 429) return;
  // A request is blocked only when all named limits are exhausted: the most generous one decides.
  const best = [...named.values()].sort((a, b) => (b.remaining ?? 0) - (a.remaining ?? 0))[0];
  const resetSeconds = Number.isFinite(best?.reset) ? Math.min(Math.max(best!.reset!, 0), 3600) : 60;
  const isBlocked = status === 429 || best?.remaining === 0;
  const now = sql`${clock.now().toISOString()}::timestamptz`;
  await db.execute(sql`update rate_limit_buckets set
      upstream_limit = ${best?.limit ?? null}, upstream_remaining = ${best?.remaining ?? null},
      upstream_reset_at = ${now} + make_interval(secs => ${resetSeconds}),
      blocked_until = ${isBlocked ? sql`${now} + make_interval(secs => ${status === 429 ? Math.max(resetSeconds, 60) : resetSeconds})` : sql`blocked_until`}
    where key = ${key}`);
}
