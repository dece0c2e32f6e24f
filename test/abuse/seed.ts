import { companies } from "@/drizzle/schema/core";
import { resetEnvCache } from "@/lib/config/env";
import { closeDb, getDb } from "@/lib/db/client";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";
import { createUser } from "@/lib/users/users";
import type { AbuseServer } from "./server";

export type AbuseData = {
  companies: { id: number; slug: string }[];
  /** Every secret the server knows: seeded Cal.com keys and webhook secrets, and the deployment's own. */
  secrets: string[];
  users: Record<"operator" | "viewer" | "target", { email: string; password: string }>;
};

const actor = { kind: "system", label: "abuse-setup", role: "admin" } as const;

/** Seeds the demo tenants (keys and secrets mirrored into the sandbox) and one user per role, with the server's key. */
export async function seedAbuseData(server: AbuseServer): Promise<AbuseData> {
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY,
    AUTH_SECRET: process.env.AUTH_SECRET,
  };
  Object.assign(process.env, {
    DATABASE_URL: server.databaseUrl,
    APP_ENCRYPTION_KEY: server.env.APP_ENCRYPTION_KEY,
    AUTH_SECRET: server.env.AUTH_SECRET,
  });
  resetEnvCache();
  try {
    const db = await getDb();
    const seeded = await seedDemoWithSandbox(db, { actor, appUrl: server.url });
    const password = () => `pw-${crypto.randomUUID()}`;
    const users = {
      operator: { email: "operator@abuse.test", password: password() },
      viewer: { email: "viewer@abuse.test", password: password() },
      target: { email: "target@abuse.test", password: password() },
    };
    await createUser(db, { input: { ...users.operator, role: "operator" }, actor });
    await createUser(db, { input: { ...users.viewer, role: "viewer" }, actor });
    await createUser(db, { input: { ...users.target, role: "operator" }, actor });
    const rows = await db.select({ id: companies.id, slug: companies.slug }).from(companies);
    const secrets = [
      ...seeded.tenants.flatMap((t) => [t.apiKey, t.webhookSecret]),
      server.env.APP_ENCRYPTION_KEY!,
      server.env.AUTH_SECRET!,
      server.env.OPS_API_TOKEN!,
      server.env.SANDBOX_CONTROL_TOKEN!,
      server.env.ADMIN_PASSWORD!,
    ];
    return { companies: rows, secrets, users };
  } finally {
    await closeDb();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}
