// Child process for the webhook durability tests: the real route handler behind node:http, with the in-process
// queue worker on (as in the app). Prints {"port":N} once it listens; SIGKILL is the point of it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { POST as postPinned } from "@/app/api/webhooks/calcom/[companySlug]/route";
import { getDbHandle } from "@/lib/db/client";
import { startWebhookWorker } from "@/lib/webhooks/worker";

const handle = await getDbHandle("server");
await startWebhookWorker(handle, { pollMs: 200 });
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const slug = url.pathname.split("/").pop() ?? "";
  const response = await postPinned(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }), {
    params: Promise.resolve({ companySlug: slug }),
  });
  res.writeHead(response.status, { "content-type": "application/json" });
  res.end(await response.text());
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
