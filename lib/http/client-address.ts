import http from "node:http";
import { getEnv } from "@/lib/config/env";

/**
 * The client's address for per-address limits. Next.js does not hand route handlers the socket, and it only fills
 * X-Forwarded-For when the client did not send one, so that header alone can be forged. At boot the server stamps
 * every request with the socket's address in a private header (overwriting anything a client sent); with
 * TRUST_PROXY=true the first hop of X-Forwarded-For is used instead (a proxy in front sets it).
 */
export const PEER_HEADER = "x-calcom-diag-peer";

type PatchedGlobal = typeof globalThis & { __calcomPeerHeader?: boolean };

/** Idempotent: wraps http.Server#emit so each "request" carries its socket address before Next sees it. */
export function installPeerAddressHeader(): void {
  const g = globalThis as PatchedGlobal;
  if (g.__calcomPeerHeader) return;
  g.__calcomPeerHeader = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function patchedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "unknown";
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}

export function clientAddress(headers: Headers): string {
  if (getEnv().TRUST_PROXY) {
    const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (first) return first.slice(0, 100);
  }
  return (headers.get(PEER_HEADER) ?? "unknown").slice(0, 100);
}
