import { companyWebhookSecrets } from "@/drizzle/schema/core";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";

export async function addWebhookSecret(db: Db, companyId: number, secret: string): Promise<void> {
  await db
    .insert(companyWebhookSecrets)
    .values({ companyId, label: "current", secretEnc: encryptSecret(secret), secretLast4: secret.slice(-4) });
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
