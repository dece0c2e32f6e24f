import "server-only";
import { getSandboxBaseUrl } from "@/lib/companies/calcom-target";
import { handleSandboxRequest } from "@/lib/calcom-sandbox/router";
import type { Db } from "@/lib/db/types";
import type { OutboundHandler } from "@/lib/http/outbound";
import { receiveWebhook } from "@/lib/webhooks/receive";

const RECEIVER = /^\/api\/webhooks\/calcom(?:\/([^/]+))?\/?$/;

/**
 * Routes the history's HTTP in-process: Cal.com calls to the built-in sandbox, the sandbox's webhook deliveries to
 * our receiver. The same handlers the routes use, without a socket, so the shifted clock reaches both sides.
 * Anything else (a company pointed at real Cal.com) is declined and goes out over the network as usual.
 */
export function inProcessHandler(db: Db): OutboundHandler {
  const sandboxBase = getSandboxBaseUrl();
  const basePath = new URL(sandboxBase).pathname;
  return async (req) => {
    if (req.url.startsWith(`${sandboxBase}/`)) return handleSandboxRequest(req, { db, basePath });
    const match = RECEIVER.exec(new URL(req.url).pathname);
    if (req.method === "POST" && match)
      return receiveWebhook(db, req, match[1] ? { companySlug: decodeURIComponent(match[1]) } : {});
    return null;
  };
}

/** One request to the sandbox as the salon's own Cal.com screen would make it (not through our client or call log). */
export async function sandboxRequest(
  db: Db,
  opts: { apiKey: string; method: "GET" | "POST"; path: string; version: string; body?: unknown },
): Promise<{ status: number; body: unknown }> {
  const base = getSandboxBaseUrl();
  const req = new Request(`${base}${opts.path}`, {
    method: opts.method,
    headers: {
      authorization: `Bearer ${opts.apiKey}`,
      "cal-api-version": opts.version,
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const res = await handleSandboxRequest(req, { db, basePath: new URL(base).pathname });
  return { status: res.status, body: await res.json().catch(() => null) };
}
