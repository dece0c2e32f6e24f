import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { sandboxApiKeys, sandboxUsers } from "@/drizzle/schema/sandbox";
import type { Db } from "@/lib/db/types";
import { MSG } from "./constants";
import type { SandboxAuth } from "./http";

const API_KEY_PREFIX = "cal_";

/** Cal.com strips the `cal_` prefix and hashes the rest; the sandbox stores the same digest, never the key. */
export function hashApiKey(apiKey: string): string {
  const bare = apiKey.startsWith(API_KEY_PREFIX) ? apiKey.slice(API_KEY_PREFIX.length) : apiKey;
  return createHash("sha256").update(bare).digest("hex");
}

/** The credential from `Authorization`; "Bearer " is stripped only when present, as in Cal.com's strategy. */
function bearerValue(headers: Headers): string | null {
  const raw = headers.get("authorization")?.trim();
  if (!raw) return null;
  const value = raw.toLowerCase().startsWith("bearer ") ? raw.slice(7).trim() : raw;
  return value || null;
}

export async function resolveAuth(
  db: Db,
  headers: Headers,
  opts: { revokedKeys: boolean; now: Date },
): Promise<SandboxAuth> {
  const token = bearerValue(headers);
  if (!token) return { kind: "none" };
  // Anything without the prefix goes down the OAuth access-token path, which the sandbox never issues.
  if (!token.startsWith(API_KEY_PREFIX)) return { kind: "invalid", message: MSG.invalidAccessToken, keyHash: null };
  const keyHash = hashApiKey(token);
  if (opts.revokedKeys) return { kind: "invalid", message: MSG.invalidKey, keyHash };
  const [row] = await db
    .select({ user: sandboxUsers, expiresAt: sandboxApiKeys.expiresAt })
    .from(sandboxApiKeys)
    .innerJoin(sandboxUsers, eq(sandboxUsers.id, sandboxApiKeys.userId))
    .where(eq(sandboxApiKeys.keyHash, keyHash))
    .limit(1);
  if (!row) return { kind: "invalid", message: MSG.invalidKey, keyHash };
  if (row.expiresAt && row.expiresAt <= opts.now) return { kind: "invalid", message: MSG.expiredKey, keyHash };
  return { kind: "user", user: row.user, keyHash };
}

/**
 * The throttler tracks API keys by their hash and anonymous callers by address (lib/http/client-address.ts: the
 * socket's, or behind TRUST_PROXY the hop the proxy appended), so a client cannot pick a fresh window by sending its
 * own forwarding headers.
 */
export function rateLimitKey(auth: SandboxAuth, address: string): string {
  if (auth.kind !== "none" && auth.keyHash) return `key:${auth.keyHash}`;
  return `ip:${address}`;
}
