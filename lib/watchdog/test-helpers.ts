import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { companyWebhookSecrets } from "@/drizzle/schema/core";
import { POST as postShared } from "@/app/api/webhooks/calcom/route";
import { POST as postPinned } from "@/app/api/webhooks/calcom/[companySlug]/route";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";

/** Our webhook receiver (the real route handlers) served over HTTP, so the sandbox can deliver to it. */
export async function startReceiverServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(url, { method: req.method, headers, body: Buffer.concat(chunks) });
    const slug = url.pathname.match(/^\/api\/webhooks\/calcom\/([^/]+)$/)?.[1];
    const response = slug
      ? await postPinned(request, { params: Promise.resolve({ companySlug: slug }) })
      : await postShared(request);
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function addWebhookSecret(db: Db, companyId: number, secret: string): Promise<void> {
  await db
    .insert(companyWebhookSecrets)
    .values({ companyId, label: "current", secretEnc: encryptSecret(secret), secretLast4: secret.slice(-4) });
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
