import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getDataDir } from "./data-dir";

const demoSecretsSchema = z.object({
  appEncryptionKey: z.string(),
  authSecret: z.string(),
});
export type DemoSecrets = z.infer<typeof demoSecretsSchema>;

/**
 * In demo mode (no APP_ENCRYPTION_KEY / AUTH_SECRET in the environment) we generate strong secrets once and keep them
 * under .data/ so restarts can still decrypt what was stored. Production sets both in the environment.
 */
export function loadOrCreateDemoSecrets(): DemoSecrets {
  const file = path.join(getDataDir(), "demo-secrets.json");
  if (existsSync(file)) return demoSecretsSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const secrets: DemoSecrets = {
    appEncryptionKey: randomBytes(32).toString("base64"),
    authSecret: randomBytes(32).toString("base64url"),
  };
  // wx: never overwrite a file another process created a moment ago.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch {
    return demoSecretsSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  }
  return secrets;
}
