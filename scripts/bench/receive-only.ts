// The receiver alone, in this process (no Next, no HTTP): 16 concurrent senders call the route's handler with signed
// Cal.com-shaped deliveries while the batch worker processes them (profiling aid, like process-only.ts):
//   node --conditions=react-server --import tsx scripts/bench/receive-only.ts   (MS=8000, W=off: no worker;
//   add --cpu-prof to profile)
import { createHmac, randomUUID } from "node:crypto";
import postgres from "postgres";
import { dropDatabase } from "../../test/pg-admin";
import { pendingCount, seedCompany, openScratchDatabase } from "./servers";
import { PEER_HEADER } from "@/lib/http/client-address";
import { sampleBookingBody } from "@/lib/webhooks/sample-bodies";
const databaseUrl = await openScratchDatabase("bench_receive");
const { getDbHandle, closeDb } = await import("@/lib/db/client");
const { handleWebhookPost } = await import("@/lib/webhooks/receive");
const { startWebhookWorker } = await import("@/lib/webhooks/worker");
const handle = await getDbHandle();
const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
const co = await seedCompany(sql);
if (process.env.W !== "off") await startWebhookWorker(handle);
const PAD = "Bitte Waschen und Schneiden, kurze Seiten, oben etwas laenger. ".repeat(18);
let seq = 0;
const bodies = Array.from({ length: 30000 }, () => {
  const s = seq++;
  return JSON.stringify(
    sampleBookingBody("BOOKING_CREATED", {
      uid: `b-${randomUUID()}`,
      bookingId: s,
      eventTypeId: co.eventTypeId,
      start: new Date(Date.UTC(2051, 0, 1) + s * 1_800_000).toISOString(),
      attendeeEmail: `k${s}@example.com`,
      extra: { responses: { notes: { label: "notes", value: PAD } } },
    }),
  );
});
const sigs = bodies.map((b) => createHmac("sha256", co.secret).update(b).digest("hex"));
let next = 0;
let done = 0;
const t0 = performance.now();
const until = t0 + Number(process.env.MS ?? 8000);
async function sender() {
  while (performance.now() < until) {
    const i = next++;
    const req = new Request(`http://127.0.0.1/api/webhooks/calcom/${co.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-cal-signature-256": sigs[i]!, [PEER_HEADER]: "127.0.0.1" },
      body: bodies[i],
    });
    const res = await handleWebhookPost(req, co.slug);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(String(res.status));
    done++;
  }
}
await Promise.all(Array.from({ length: 16 }, sender));
const ms = performance.now() - t0;
console.log(
  `received ${done} in ${Math.round(ms)} ms: ${Math.round((done / ms) * 1000)}/s; pending ${await pendingCount(sql)}`,
);
await sql.end();
await closeDb();
await dropDatabase(databaseUrl);
process.exit(0);
