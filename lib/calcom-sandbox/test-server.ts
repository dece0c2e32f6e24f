import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@/lib/db/types";
import { handleSandboxRequest } from "./router";
import { flushSandboxWebhooks } from "./webhooks";

/** Serves the sandbox over plain node:http (tests and `npm run sandbox`), outside Next. */

export type SandboxServer = { url: string; port: number; close: () => Promise<void> };

async function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? "GET";
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body, signal });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  const payload = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...headers, "content-length": String(payload.length) });
  res.end(payload);
}

export async function startSandboxServer(opts: {
  db: Db;
  port?: number;
  host?: string;
  basePath?: string;
}): Promise<SandboxServer> {
  const host = opts.host ?? "127.0.0.1";
  const basePath = opts.basePath ?? "";
  const server = createServer((req, res) => {
    const aborter = new AbortController();
    // A client that gives up (timeouts) ends the sandbox's sleeps too.
    res.on("close", () => {
      if (!res.writableFinished) aborter.abort();
    });
    const origin = `http://${req.headers.host ?? host}`;
    toRequest(req, origin, aborter.signal)
      .then((request) =>
        handleSandboxRequest(request, { db: opts.db, basePath, clientAddress: req.socket.remoteAddress ?? null }),
      )
      .then((response) => (res.destroyed ? undefined : writeResponse(res, response)))
      .catch((error: unknown) => {
        console.error("[calcom-sandbox] server error", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ statusCode: 500, message: "Internal server error" }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${basePath}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await flushSandboxWebhooks();
    },
  };
}
