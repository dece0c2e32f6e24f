import { isIP } from "node:net";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The client's address, for rate limits and the audit log. Next fills X-Forwarded-For from the socket only when the
 * request has none, so proxy.ts removes a client-sent one unless TRUST_PROXY=true: the header then holds either the
 * socket address, or (behind a trusted reverse proxy) the chain whose last entry that proxy appended. So the last
 * entry is the address in both cases. "unknown" when there is none or it is not an IP address.
 */
export function clientAddress(source: HeaderSource): string {
  const last = header(source, "x-forwarded-for")?.split(",").at(-1)?.trim() ?? "";
  const address = last.startsWith("::ffff:") && isIP(last.slice(7)) === 4 ? last.slice(7) : last;
  return isIP(address) ? address : "unknown";
}

export function clientUserAgent(source: HeaderSource): string {
  return (header(source, "user-agent") ?? "").slice(0, 300);
}
