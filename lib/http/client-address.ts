import http from "node:http";
import { isIP } from "node:net";
import { getEnv } from "@/lib/config/env";

/**
 * The one rule for "who is calling": the client's address for sign-in throttling, the audit log, the webhook
 * endpoint's per-address limit and the sandbox's rate limit.
 *
 * Next.js does not hand route handlers the socket, and a client can send any X-Forwarded-For. So at boot the server
 * stamps every request with its socket address in a private header (overwriting anything a client sent). With
 * TRUST_PROXY=true the last X-Forwarded-For entry is used instead: the one the trusted reverse proxy appended (earlier
 * entries are whatever the client claimed). "unknown" when there is none or it is not an IP address.
 */
export const PEER_HEADER = "x-calcom-diag-peer";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;
type PatchedGlobal = typeof globalThis & { __calcomPeerHeader?: boolean };

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(",") : value;
}

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
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(
      this,
      event,
      ...args,
    );
  } as typeof emit;
}

export function clientAddress(source: HeaderSource, opts: { trustProxy?: boolean } = {}): string {
  const trustProxy = opts.trustProxy ?? getEnv().TRUST_PROXY;
  const raw =
    (trustProxy ? header(source, "x-forwarded-for")?.split(",").at(-1) : header(source, PEER_HEADER))?.trim() ?? "";
  const address = raw.startsWith("::ffff:") && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  return isIP(address) ? address : "unknown";
}

export function clientUserAgent(source: HeaderSource): string {
  return (header(source, "user-agent") ?? "").slice(0, 300);
}
