import http from "node:http";
import { createHmac, randomUUID } from "node:crypto";
import { sampleBookingBody } from "@/lib/webhooks/sample-bodies";

/**
 * The load generator for the ingest benchmark: `senders` keep-alive connections, each posting distinct, signed,
 * Cal.com-shaped BOOKING_CREATED bodies (~2.4 KB) back to back for a fixed time. Returns throughput and latency.
 */

export type LoadResult = {
  requests: number;
  errors: number;
  statuses: Record<number, number>;
  rps: number;
  p50: number;
  p99: number;
  ms: number;
};

const PAD = "Bitte Waschen und Schneiden, kurze Seiten, oben etwas laenger. ".repeat(18);

/** A ~2.4 KB body like Cal.com's BOOKING_CREATED (shared/calcom-v2.md §4.2), distinct per call. */
function bookingCreatedBody(eventTypeId: number, seq: number): string {
  return JSON.stringify(
    sampleBookingBody("BOOKING_CREATED", {
      uid: `bench-${randomUUID()}`,
      bookingId: seq,
      eventTypeId,
      start: new Date(Date.UTC(2051, 0, 1) + (seq % 500_000) * 1_800_000).toISOString(),
      attendeeEmail: `kunde${seq}@example.com`,
      extra: { responses: { name: { label: "your_name", value: "Kunde" }, notes: { label: "notes", value: PAD } } },
    }),
  );
}

export async function runLoad(opts: {
  url: string;
  senders: number;
  durationMs: number;
  secret: string;
  eventTypeId: number;
  warmupMs?: number;
}): Promise<LoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.senders });
  let seq = Math.floor(Math.random() * 1e9);
  const send = () =>
    new Promise<number>((resolve) => {
      const body = bookingCreatedBody(opts.eventTypeId, seq++);
      const signature = createHmac("sha256", opts.secret).update(body).digest("hex");
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "x-cal-signature-256": signature,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });
  const loop = async (
    until: number,
    record: boolean,
    out: { latencies: number[]; statuses: Record<number, number> },
  ) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const status = await send();
      if (!record) continue;
      out.latencies.push(performance.now() - t0);
      out.statuses[status] = (out.statuses[status] ?? 0) + 1;
    }
  };
  const scratch = { latencies: [] as number[], statuses: {} as Record<number, number> };
  if (opts.warmupMs) {
    const until = performance.now() + opts.warmupMs;
    await Promise.all(Array.from({ length: opts.senders }, () => loop(until, false, scratch)));
  }
  const out = { latencies: [] as number[], statuses: {} as Record<number, number> };
  const started = performance.now();
  const until = started + opts.durationMs;
  await Promise.all(Array.from({ length: opts.senders }, () => loop(until, true, out)));
  const ms = performance.now() - started;
  agent.destroy();
  const sorted = out.latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const ok = Object.entries(out.statuses)
    .filter(([s]) => Number(s) >= 200 && Number(s) < 300)
    .reduce((n, [, c]) => n + c, 0);
  return {
    requests: sorted.length,
    errors: sorted.length - ok,
    statuses: out.statuses,
    rps: (ok / ms) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    ms,
  };
}
