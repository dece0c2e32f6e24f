import "server-only";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getDataDir } from "@/lib/config/data-dir";
import { ConfigError, getEnv } from "@/lib/config/env";
import { generatePassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { countUsers, upsertAdmin } from "@/lib/users/users";

const DEMO_ADMIN_EMAIL = "admin@calcom-diagnostics.local";
const SYSTEM: Actor = { kind: "system", label: "system", role: "admin" };

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD create or update an admin. With neither, the first start on an empty user table
 * generates a strong password, prints the login once and keeps it in .data/demo-login.txt. No fixed default exists.
 */
export async function ensureAdminLogin(db: Db): Promise<void> {
  const env = getEnv();
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    throw new ConfigError("Set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither (a demo login is then generated).");
  }
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    const outcome = await upsertAdmin(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, actor: SYSTEM });
    if (outcome === "refused-disabled") {
      console.error(
        `[calcom-diagnostics] ADMIN_EMAIL ${env.ADMIN_EMAIL} belongs to a disabled user: it was NOT re-enabled and its password was not changed. ` +
          "Enable it in Settings > Users (as another admin), or set ADMIN_EMAIL to another address.",
      );
      return;
    }
    console.log(`[calcom-diagnostics] admin login: ${env.ADMIN_EMAIL} (password from ADMIN_PASSWORD)`);
    return;
  }
  const file = path.join(getDataDir(), "demo-login.txt");
  if ((await countUsers(db)) > 0) {
    if (existsSync(file)) console.log(`[calcom-diagnostics] demo login is in ${path.relative(process.cwd(), file)}`);
    return;
  }
  const password = generatePassword();
  await upsertAdmin(db, { email: DEMO_ADMIN_EMAIL, password, actor: SYSTEM });
  writeFileSync(file, `email: ${DEMO_ADMIN_EMAIL}\npassword: ${password}\n`, { mode: 0o600 });
  const line = "=".repeat(64);
  console.log(
    `\n${line}\n  Cal.com Diagnostics demo login (shown once, kept in ${path.relative(process.cwd(), file)})\n  email:    ${DEMO_ADMIN_EMAIL}\n  password: ${password}\n${line}\n`,
  );
}
