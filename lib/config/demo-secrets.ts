import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
  if (existsSync(file)) return demoSecretsSchema.parse(JSON.parse(readSecretFile(file)));
  const secrets: DemoSecrets = {
    appEncryptionKey: randomBytes(32).toString("base64"),
    authSecret: randomBytes(32).toString("base64url"),
  };
  // wx: never overwrite a file another process created a moment ago.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch {
    return demoSecretsSchema.parse(JSON.parse(readSecretFile(file)));
  }
  return secrets;
}

/** Reads a secret file, tightening it to 0600 first if an older version left it readable by others. */
function readSecretFile(file: string): string {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return readFileSync(file, "utf8");
}

/** One generated token in .data/<name> (0600), created once; every process of the installation reads the same one. */
export function loadOrCreateSecretFile(name: string): string {
  const file = path.join(getDataDir(), name);
  if (existsSync(file)) return readSecretFile(file).trim();
  try {
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readSecretFile(file).trim();
}
