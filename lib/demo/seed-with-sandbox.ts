import "server-only";
import { seedSandbox } from "@/lib/calcom-sandbox/seed";
import type { Actor } from "@/lib/auth/roles";
import { getEnv } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { seedDemo } from "./seed";

/**
 * Seeds the demo tenants and mirrors them into the built-in Cal.com sandbox: the same API keys, the 45 event types of
 * team "Friseur", the seeded appointments as bookings, and a webhook subscription pointing back at this app.
 */
export async function seedDemoWithSandbox(db: Db, opts: { actor: Actor; appUrl?: string }) {
  const result = await seedDemo(db, { actor: opts.actor });
  if (result.tenants.length === 0) return result;
  const appUrl = (opts.appUrl ?? getEnv().APP_URL ?? `http://127.0.0.1:${getEnv().PORT}`).replace(/\/+$/, "");
  await seedSandbox(db, {
    tenants: result.tenants.map((t) => ({
      slug: t.slug,
      apiKey: t.apiKey,
      webhook: { url: `${appUrl}/api/webhooks/calcom/${t.slug}`, secret: t.webhookSecret },
    })),
    bookings: result.tenants.flatMap((t) => t.bookings),
  });
  return result;
}
