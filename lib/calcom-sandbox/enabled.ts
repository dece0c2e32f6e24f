import { timingSafeEqual, createHash } from "node:crypto";
import { getEnv } from "@/lib/config/env";
import { loadOrCreateSecretFile } from "@/lib/config/demo-secrets";

/**
 * Whether this app serves the built-in sandbox under /api/calcom-sandbox. Unset CALCOM_SANDBOX_ENABLED means "demo
 * mode only": on with the embedded database, off with DATABASE_URL (a real deployment). "true"/"false" decide.
 */
export function isSandboxServed(): boolean {
  const env = getEnv();
  return env.CALCOM_SANDBOX_ENABLED ?? !env.DATABASE_URL;
}

/**
 * The tokens /_control accepts (header x-sandbox-control): SANDBOX_CONTROL_TOKEN and OPS_API_TOKEN when set; in demo
 * mode without either, one generated into .data/sandbox-control-token. With DATABASE_URL and neither set, none:
 * /_control then refuses every request.
 */
export function sandboxControlTokens(): string[] {
  const env = getEnv();
  const configured = [env.SANDBOX_CONTROL_TOKEN, env.OPS_API_TOKEN].filter((t): t is string => Boolean(t));
  if (configured.length > 0) return configured;
  return env.DATABASE_URL ? [] : [loadOrCreateSecretFile("sandbox-control-token")];
}

/** The token a server-side caller (the CLI, the demo seed, tests) sends to /_control, or null when none exists. */
export function sandboxControlToken(): string | null {
  return sandboxControlTokens()[0] ?? null;
}

export function isControlTokenValid(given: string | null): boolean {
  if (!given) return false;
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return sandboxControlTokens().some((t) => timingSafeEqual(digest(t), digest(given)));
}
