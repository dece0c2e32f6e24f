// npm run sandbox – the Cal.com API v2 sandbox alone: its own in-memory PGlite, seeded, on 127.0.0.1:SANDBOX_PORT
import { randomBytes } from "node:crypto";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { seedSandbox } from "@/lib/calcom-sandbox/seed";
import { sandboxControlToken } from "@/lib/calcom-sandbox/enabled";
import { startSandboxServer } from "@/lib/calcom-sandbox/test-server";
import { allowSandboxWebhookOrigin } from "@/lib/calcom-sandbox/webhook-target";
import type { Db } from "@/lib/db/types";
import { DEMO_TENANTS } from "@/lib/demo/catalog";

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const pglite = new PGlite();
const db = drizzle({ client: pglite, casing: "snake_case" });
await migrate(db, { migrationsFolder: path.join(process.cwd(), "drizzle", "migrations") });

// Keys can be pinned (SANDBOX_API_KEY_<SLUG>) so that an app pointed at this process keeps working across restarts.
const tenants = DEMO_TENANTS.map((t) => {
  const envName = `SANDBOX_API_KEY_${t.slug.replace(/-/g, "_").toUpperCase()}`;
  const apiKey =
    process.env[envName] ?? `cal_test_sandbox_${t.slug.replace(/-/g, "")}_${randomBytes(12).toString("hex")}`;
  const webhook = process.env.SANDBOX_WEBHOOK_URL
    ? { url: process.env.SANDBOX_WEBHOOK_URL, secret: process.env.SANDBOX_WEBHOOK_SECRET ?? null }
    : undefined;
  return { slug: t.slug, apiKey, webhook, envName };
});
// The app this sandbox serves: its webhook endpoint is the only place the sandbox delivers to.
if (process.env.SANDBOX_WEBHOOK_URL) allowSandboxWebhookOrigin(process.env.SANDBOX_WEBHOOK_URL);
const seeded = await seedSandbox(db as unknown as Db, { tenants: tenants.map(({ envName: _envName, ...t }) => t) });
const server = await startSandboxServer({ db: db as unknown as Db, port, host: "127.0.0.1" });

console.log(`Cal.com API v2 sandbox on ${server.url}  (base URL for clients: ${server.url}/v2)`);
for (const t of tenants) {
  const info = seeded.tenants.find((s) => s.slug === t.slug);
  console.log(
    `  ${t.slug.padEnd(16)} team ${info?.teamId} (${info?.eventTypes} event types)  ${t.envName}=${t.apiKey}`,
  );
}
const token = sandboxControlToken();
console.log(
  token
    ? `Control: ${server.url}/_control/state  (header x-sandbox-control: SANDBOX_CONTROL_TOKEN, OPS_API_TOKEN, or the token in .data/sandbox-control-token)`
    : `Control: disabled (set SANDBOX_CONTROL_TOKEN: with DATABASE_URL there is no generated token)`,
);

async function shutdown() {
  await server.close();
  await pglite.close();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
