// The ingest benchmark's upper baseline: node:http + postgres.js, the same HMAC check and one durable INSERT into
// webhook_deliveries per delivery, nothing else. Run alone:
//   BARE_PORT=3199 DATABASE_URL=postgres://... BARE_SECRET=... node --import tsx scripts/bench/bare-receiver.ts
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { pathToFileURL } from "node:url";
import postgres from "postgres";

export function startBareReceiver(opts: {
  port: number;
  databaseUrl: string;
  secret: string;
  companyId: number | null;
}): Promise<() => Promise<void>> {
  const sql = postgres(opts.databaseUrl, { max: 10, onnotice: () => {} });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const provided = Buffer.from(String(req.headers["x-cal-signature-256"] ?? ""));
        const expected = Buffer.from(createHmac("sha256", opts.secret).update(body).digest("hex"));
        const ok = provided.length === expected.length && timingSafeEqual(provided, expected);
        const text = body.toString("utf8");
        const sha = createHash("sha256").update(body).digest("hex");
        try {
          const [row] =
            await sql`insert into webhook_deliveries (received_at, company_id, headers, body, body_bytes, body_sha256, verdict, verdict_detail, verification, response_status, status, dedupe_key)
            values (now(), ${opts.companyId}, ${sql.json({ "content-type": String(req.headers["content-type"]) })}, ${text}, ${body.length}, ${sha}, ${ok ? "verified" : "signature_mismatch"}, 'bare receiver', '{}'::jsonb, ${ok ? 200 : 401}, ${ok ? "ignored" : "rejected"}, null)
            returning id`;
          res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok, id: row?.id }));
        } catch {
          res.writeHead(503);
          res.end();
        }
      })();
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) =>
    server.listen(opts.port, "127.0.0.1", () =>
      resolve(async () => {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await sql.end({ timeout: 2 });
      }),
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.BARE_PORT ?? 3199);
  await startBareReceiver({
    port,
    databaseUrl: process.env.DATABASE_URL!,
    secret: process.env.BARE_SECRET!,
    companyId: process.env.BARE_COMPANY_ID ? Number(process.env.BARE_COMPANY_ID) : null,
  });
  console.log(`bare receiver on http://127.0.0.1:${port}`);
}
