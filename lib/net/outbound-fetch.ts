import "server-only";
import { lookup as dnsLookup, promises as dns, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from "undici";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors";
import { checkResolvedAddresses, OutboundUrlError, parseOutboundUrl, type OutboundPolicy } from "./outbound-url";

/**
 * Calls to URLs a person set go through outboundFetch: the URL is checked (lib/net/outbound-url.ts), and the HTTP
 * agent resolves names itself, refusing the connection when any resolved address is not public. The check happens
 * on every new connection, not once when the URL was saved, so a name that later points at 127.0.0.1 (DNS
 * rebinding) is refused too. Redirects are never followed. URLs from the operator's environment and the built-in
 * sandbox do not come here.
 */

function getOutboundPolicy(): OutboundPolicy {
  return { allowPrivate: getEnv().OUTBOUND_ALLOW_PRIVATE };
}

/** A net/tls `lookup` that resolves every address of the name and refuses the lot if one of them is not public. */
function guardedLookup(policy: () => OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      try {
        checkResolvedAddresses(
          hostname,
          addresses.map((a) => a.address),
          policy(),
        );
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, "", 0);
      }
      // net asks for every address when it races IPv4 and IPv6 (autoSelectFamily), otherwise for one.
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

type Global = typeof globalThis & { __outboundAgent?: Agent };
const g = globalThis as Global;

function agent(): Agent {
  g.__outboundAgent ??= new Agent({ connect: { lookup: guardedLookup(getOutboundPolicy) }, keepAliveTimeout: 10_000 });
  return g.__outboundAgent;
}

/** The cause chain of a failed fetch, to tell a policy refusal from a network error. */
export function findOutboundRefusal(error: unknown): OutboundUrlError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof OutboundUrlError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * fetch() for a URL a person set. Throws OutboundUrlError (directly, or as the cause of fetch's TypeError) when the
 * URL or an address it resolves to is refused. `redirect` is always "manual": a 3xx is returned, not followed.
 */
export async function outboundFetch(url: string, init: Omit<RequestInit, "redirect"> = {}): Promise<Response> {
  const policy = getOutboundPolicy();
  const checked = parseOutboundUrl(url, policy, { isRequest: true });
  const res = await undiciFetch(checked, { ...(init as UndiciRequestInit), redirect: "manual", dispatcher: agent() });
  return res as unknown as Response;
}

/**
 * Save-time check for a field a person fills in: the URL rules, and the addresses its name resolves to now. A name
 * that does not resolve (yet) is accepted: the check at connection time still applies. Throws a 400 naming the field.
 */
export async function assertOutboundUrl(raw: string, field: string): Promise<string> {
  const policy = getOutboundPolicy();
  try {
    const url = parseOutboundUrl(raw, policy);
    if (!policy.allowPrivate) {
      const host = url.hostname.replace(/^\[|\]$/g, "");
      const addresses = await dns.lookup(host, { all: true }).catch(() => null);
      if (addresses)
        checkResolvedAddresses(
          host,
          addresses.map((a) => a.address),
          policy,
        );
    }
    return raw.trim();
  } catch (error) {
    if (!(error instanceof OutboundUrlError)) throw error;
    throw new AppError("BAD_REQUEST", `${field}: ${error.reason}`, { field, reason: error.reason });
  }
}
