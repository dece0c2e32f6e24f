import { sql } from "drizzle-orm";
import { z } from "zod";
import { sandboxRateLimits } from "@/drizzle/schema/sandbox";
import type { Db, DbOrTx } from "@/lib/db/types";
import { readSettings, writeSetting, type SettingsMap } from "./settings";

/** Cal.com's defaults for API keys and anonymous callers: 120 per 60 s, then blocked for 60 s. */
const rateLimitConfigSchema = z
  .object({
    limit: z.number().int().min(1).max(100_000).default(120),
    ttlSeconds: z.number().int().min(1).max(3600).default(60),
    blockSeconds: z.number().int().min(0).max(3600).default(60),
  })
  .strict();
export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;
export const rateLimitPatchSchema = rateLimitConfigSchema.partial().strict();

const SETTINGS_KEY = "rate-limit";

export function rateLimitFromSettings(settings: SettingsMap): RateLimitConfig {
  const parsed = rateLimitConfigSchema.safeParse(settings.get(SETTINGS_KEY) ?? {});
  return parsed.success ? parsed.data : rateLimitConfigSchema.parse({});
}

export async function setSandboxRateLimit(
  db: Db,
  patch: z.infer<typeof rateLimitPatchSchema>,
): Promise<RateLimitConfig> {
  const input = rateLimitPatchSchema.parse(patch);
  const current = rateLimitFromSettings(await readSettings(db));
  const next = rateLimitConfigSchema.parse({ ...current, ...input });
  await writeSetting(db, SETTINGS_KEY, next);
  return next;
}

/** Back to 120/60 s/60 s with every window forgotten. */
export async function resetSandboxRateLimit(db: DbOrTx): Promise<void> {
  await writeSetting(db, SETTINGS_KEY, rateLimitConfigSchema.parse({}));
  await db.delete(sandboxRateLimits);
}

export type RateLimitResult = { limit: number; remaining: number; resetSeconds: number; isBlocked: boolean };

/**
 * Counts one hit in the caller's window with a single upsert, so concurrent requests on several instances agree.
 * Like NestJS's throttler storage: a hit past the limit starts a block; when a block or a window expires the
 * count starts again.
 */
export async function hitRateLimit(db: Db, key: string, config: RateLimitConfig, now: Date): Promise<RateLimitResult> {
  const t = sandboxRateLimits;
  const windowFloor = new Date(now.getTime() - config.ttlSeconds * 1000);
  const blockUntil = new Date(now.getTime() + config.blockSeconds * 1000);
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const expired = sql`((${t.blockedUntil} is not null and ${t.blockedUntil} <= ${nowSql}) or (${t.blockedUntil} is null and ${t.windowStart} <= ${windowFloor.toISOString()}::timestamptz))`;
  const blocked = sql`(${t.blockedUntil} is not null and ${t.blockedUntil} > ${nowSql})`;
  const [row] = await db
    .insert(t)
    .values({ key, windowStart: now, hits: 1, blockedUntil: null })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        windowStart: sql`case when ${expired} then ${nowSql} else ${t.windowStart} end`,
        hits: sql`case when ${expired} then 1 when ${blocked} then ${t.hits} else ${t.hits} + 1 end`,
        blockedUntil: sql`case when ${expired} then null when ${blocked} then ${t.blockedUntil} when ${t.hits} + 1 > ${config.limit} then ${blockUntil.toISOString()}::timestamptz else null end`,
      },
    })
    .returning();
  if (!row) throw new Error("rate limit upsert returned nothing");
  const isBlocked = row.blockedUntil !== null && row.blockedUntil > now;
  const resetAt = isBlocked ? row.blockedUntil!.getTime() : row.windowStart.getTime() + config.ttlSeconds * 1000;
  return {
    limit: config.limit,
    remaining: isBlocked ? 0 : Math.max(0, config.limit - row.hits),
    resetSeconds: Math.max(0, Math.ceil((resetAt - now.getTime()) / 1000)),
    isBlocked,
  };
}

/** One header set per named limit; the only limit here is "default" (no Retry-After, as in Cal.com). */
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  return {
    "x-ratelimit-limit-default": String(result.limit),
    "x-ratelimit-remaining-default": String(result.remaining),
    "x-ratelimit-reset-default": String(result.resetSeconds),
  };
}
