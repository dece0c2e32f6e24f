// Child process: the webhook receiver and the queue worker on embedded PGlite (the same SQL as on PostgreSQL).
// Prints {"statuses":[...],"processed":N} and exits.
import { createHmac } from "node:crypto";
import { inArray } from "drizzle-orm";
import { companies, companyWebhookSecrets, services } from "@/drizzle/schema/core";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { closeDb, getDbHandle } from "@/lib/db/client";
import { bookingBody } from "@/lib/webhooks/test-helpers";
import { receiveWebhook } from "@/lib/webhooks/receive";
import { startWebhookWorker, stopWebhookWorker } from "@/lib/webhooks/worker";

const handle = await getDbHandle("server");
const db = handle.db;
const [co] = await db
  .insert(companies)
  .values({ name: "PGlite Co", slug: "pglite-co" })
  .returning({ id: companies.id });
const secret = "whsec_pglite_0001";
await db
  .insert(companyWebhookSecrets)
  .values({ companyId: co!.id, label: "current", secretEnc: encryptSecret(secret), secretLast4: "0001" });
await db
  .insert(services)
  .values({ companyId: co!.id, name: "Haarschnitt", calcomEventTypeId: 5150, durationMinutes: 30 });
await startWebhookWorker(handle, { pollMs: 100 });
const post = async (body: string, sig: string) =>
  receiveWebhook(
    db,
    new Request("http://127.0.0.1/api/webhooks/calcom/pglite-co", {
      method: "POST",
      headers: { "content-type": "application/json", "x-cal-signature-256": sig },
      body,
    }),
    { companySlug: "pglite-co" },
  );
const ids: number[] = [];
const statuses: number[] = [];
for (let i = 0; i < 12; i++) {
  const body = JSON.stringify(
    bookingBody("BOOKING_CREATED", { eventTypeId: 5150, start: new Date(Date.UTC(2054, 0, 1 + i, 9)).toISOString() }),
  );
  const res = await post(body, createHmac("sha256", secret).update(body).digest("hex"));
  statuses.push(res.status);
  const json = (await res.json()) as { id?: number };
  if (json.id) ids.push(json.id);
}
const rejected = await post("{}", "bad");
statuses.push(rejected.status);
const deadline = Date.now() + 20_000;
let processed = 0;
while (Date.now() < deadline) {
  const rows = await db
    .select({ status: webhookDeliveries.status })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.id, ids));
  processed = rows.filter((r) => r.status === "processed").length;
  if (processed === ids.length) break;
  await new Promise((r) => setTimeout(r, 100));
}
await stopWebhookWorker();
console.log(JSON.stringify({ statuses, processed }));
await closeDb();
process.exit(0);
