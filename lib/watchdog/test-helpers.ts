import { companyWebhookSecrets } from "@/drizzle/schema/core";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";

export async function addWebhookSecret(db: Db, companyId: number, secret: string): Promise<void> {
  await db
    .insert(companyWebhookSecrets)
    .values({ companyId, label: "current", secretEnc: encryptSecret(secret), secretLast4: secret.slice(-4) });
}
