import ipaddr from "ipaddr.js";

/**
 * The one policy for URLs the server calls that a person can set (a company's Cal.com URL, alert and outbox webhook
 * URLs, the sandbox's subscriber): https only; no userinfo, query or fragment; and every address the host stands for
 * must be a public unicast address. Pure: the same checks run when a URL is saved (clear 400) and, through
 * lib/net/outbound-fetch.ts, on every connection (the resolved addresses, so DNS rebinding is covered).
 *
 * `allowPrivate` (OUTBOUND_ALLOW_PRIVATE=true) is the operator's switch for a self-hosted Cal.com on a private
 * network: it lifts the address check and accepts plain http there. Userinfo, query and fragment stay refused.
 */

export type OutboundPolicy = { allowPrivate: boolean };

/** A refusal, with the reason in words an admin can act on. */
export class OutboundUrlError extends Error {
  override name = "OutboundUrlError";
  constructor(
    readonly reason: string,
    readonly url?: string,
  ) {
    super(`Refused by the outbound URL policy: ${reason}`);
  }
}

/** ipaddr.js range names, said the way a person would read them. Only "unicast" is public. */
const RANGE_WORDS: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  private: "a private address (RFC 1918)",
  uniqueLocal: "a unique-local address (fc00::/7)",
  reserved: "a reserved address",
  benchmarking: "a benchmarking address",
  ipv4Mapped: "an IPv4-mapped address",
  deprecatedSiteLocal: "a site-local address",
};

/**
 * Why an address may not be called, or null when it is public unicast. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged
 * as the IPv4 address it carries; NAT64, 6to4, Teredo and the other transition ranges are refused outright.
 */
export function addressRefusal(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return `"${address}" is not an IP address`;
  const ip = ipaddr.process(bare);
  const range = ip.range();
  if (range === "unicast") return null;
  return `${ip.toString()} is ${RANGE_WORDS[range] ?? `in a special-purpose range (${range})`}`;
}

function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}

/**
 * Checks what can be checked without DNS. Returns the parsed URL, or throws OutboundUrlError. A literal address in
 * the URL is checked here; a name is checked when it is resolved (checkResolvedAddresses / the guarded fetch).
 * `isRequest`: the URL of one call built on a saved base (it carries the endpoint's own query string).
 */
export function parseOutboundUrl(raw: string, policy: OutboundPolicy, opts: { isRequest?: boolean } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OutboundUrlError("not a valid URL (use a full https:// address)", raw);
  }
  if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
    throw new OutboundUrlError(
      url.protocol === "http:"
        ? "plain http is not allowed; use https://"
        : `the ${url.protocol.replace(":", "")} scheme is not allowed; use https://`,
      raw,
    );
  }
  if (url.username || url.password) throw new OutboundUrlError("the URL may not carry a user name or password", raw);
  if (!opts.isRequest && (url.search || raw.includes("?")))
    throw new OutboundUrlError("the URL may not have a query string", raw);
  if (url.hash || raw.includes("#")) throw new OutboundUrlError("the URL may not have a fragment", raw);
  if (!url.hostname) throw new OutboundUrlError("the URL has no host", raw);
  if (!policy.allowPrivate && isIpLiteral(url.hostname)) {
    const refusal = addressRefusal(url.hostname);
    if (refusal) throw new OutboundUrlError(refusal, raw);
  }
  return url;
}

/** Every resolved address must pass (one private answer among public ones is enough to refuse). */
export function checkResolvedAddresses(hostname: string, addresses: string[], policy: OutboundPolicy): void {
  if (policy.allowPrivate) return;
  if (addresses.length === 0) throw new OutboundUrlError(`${hostname} did not resolve to any address`);
  for (const address of addresses) {
    const refusal = addressRefusal(address);
    if (refusal) throw new OutboundUrlError(`${hostname} resolves to ${refusal}`);
  }
}
