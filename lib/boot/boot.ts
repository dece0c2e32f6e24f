import "server-only";
import { sql } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { isSandboxServed, sandboxControlTokens } from "@/lib/calcom-sandbox/enabled";
import { getEnv } from "@/lib/config/env";
import { getDbHandle } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { generateDemoHistory } from "@/lib/demo/history/run";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";
import { allJobs } from "@/lib/jobs/registry";
import { startJobQueue } from "@/lib/jobs/queue";
import { installPeerAddressHeader } from "@/lib/http/client-address";
import { startWebhookWorker } from "@/lib/webhooks/worker";
import { ensureAdminLogin } from "./admin-login";

/** Runs once per server process before it serves requests (instrumentation.ts). */
async function bootServer(): Promise<void> {
  const env = getEnv(); // fail fast with every configuration error listed
  installPeerAddressHeader(); // per-address limits need the socket address, which Next does not pass on
  // next-auth (route and proxy, same process) reads these from the environment.
  process.env.NEXTAUTH_SECRET ??= env.AUTH_SECRET;
  if (env.APP_URL) process.env.NEXTAUTH_URL ??= env.APP_URL;
  else process.env.AUTH_TRUST_HOST ??= "true";
  const handle = await getDbHandle("server");
  await ensureAdminLogin(handle.db);
  let isFreshDemo = false;
  if (handle.kind === "pglite") {
    const [row] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(companies);
    if (!row?.n) {
      const seeded = await seedDemoWithSandbox(handle.db, {
        actor: { kind: "system", label: "system", role: "admin" },
      });
      console.log(`[calcom-diagnostics] seeded demo data: ${seeded.created.join(", ")}`);
      isFreshDemo = seeded.created.length > 0;
    }
  }
  // Schedules and background work (webhook processing, syncs, recovery, housekeeping) run through pg-boss.
  const startQueue = async () => {
    await startJobQueue(allJobs(), { workers: env.JOB_WORKERS !== "off", handle });
    // Webhook deliveries are their own queue (the table), worked in batches by an in-process loop.
    if (env.JOB_WORKERS !== "off") await startWebhookWorker(handle);
  };
  if (isFreshDemo) {
    // The demo week is replayed in the background while the server already answers; the queue starts after it, so
    // its schedules (recovery, syncs, alerts) never act on a half-replayed week at today's time.
    void replayDemoWeek(handle.db)
      .then(startQueue)
      .catch((error: unknown) => {
        console.error(
          `\n[calcom-diagnostics] could not start the job queue: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      });
  } else {
    await startQueue();
  }
  console.log(
    `[calcom-diagnostics] database: ${handle.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite (.data/)"}`,
  );
  console.log(`[calcom-diagnostics] Cal.com sandbox: ${describeSandbox(env)}`);
}

function describeSandbox(env: ReturnType<typeof getEnv>): string {
  if (!isSandboxServed()) return "off (not served; set CALCOM_SANDBOX_ENABLED=true to serve it)";
  const token = env.SANDBOX_CONTROL_TOKEN
    ? "SANDBOX_CONTROL_TOKEN"
    : env.OPS_API_TOKEN
      ? "OPS_API_TOKEN"
      : sandboxControlTokens().length
        ? "the token in .data/sandbox-control-token"
        : null;
  return `served at /api/calcom-sandbox; its /_control ${token ? `needs header x-sandbox-control with ${token}` : "is closed (set SANDBOX_CONTROL_TOKEN)"}`;
}

async function replayDemoWeek(db: Db): Promise<void> {
  try {
    const result = await generateDemoHistory(db, { log: (line) => console.log(`[calcom-diagnostics] ${line}`) });
    if (result.status === "skipped") console.log(`[calcom-diagnostics] demo history skipped: ${result.reason}`);
  } catch (error) {
    console.error("[calcom-diagnostics] demo history stopped:", error instanceof Error ? error.message : error);
  }
}

/** A server that cannot start says why, once, and exits instead of serving half-configured. */
export async function bootServerOrExit(): Promise<void> {
  try {
    await bootServer();
  } catch (error) {
    console.error(
      `\n[calcom-diagnostics] could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
