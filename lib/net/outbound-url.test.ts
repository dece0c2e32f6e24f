import { describe, expect, it } from "vitest";
import { addressRefusal, checkResolvedAddresses, OutboundUrlError, parseOutboundUrl } from "./outbound-url";

const strict = { allowPrivate: false };
const lenient = { allowPrivate: true };

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof OutboundUrlError) return error.reason;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("addressRefusal", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.7", "private address (RFC 1918)"],
    ["172.16.5.4", "private address (RFC 1918)"],
    ["172.31.255.255", "private address (RFC 1918)"],
    ["192.168.1.1", "private address (RFC 1918)"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.254", "carrier-grade NAT"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fc00::1", "unique-local address (fc00::/7)"],
    ["fd12:3456::1", "unique-local address (fc00::/7)"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
  ])("refuses %s (%s)", (address, words) => {
    expect(addressRefusal(address)).toContain(words);
  });

  it("judges IPv4-mapped IPv6 as the IPv4 address it carries", () => {
    expect(addressRefusal("::ffff:127.0.0.1")).toBe("127.0.0.1 is a loopback address");
    expect(addressRefusal("::ffff:a9fe:a9fe")).toBe("169.254.169.254 is a link-local address");
    expect(addressRefusal("::ffff:10.1.2.3")).toBe("10.1.2.3 is a private address (RFC 1918)");
    expect(addressRefusal("::ffff:8.8.8.8")).toBeNull();
  });

  it("refuses the transition ranges that embed IPv4 (NAT64, 6to4, Teredo)", () => {
    expect(addressRefusal("64:ff9b::7f00:1")).toContain("special-purpose range (rfc6052)");
    expect(addressRefusal("2002:7f00:1::1")).toContain("special-purpose range (6to4)");
    expect(addressRefusal("2001::1")).toContain("special-purpose range (teredo)");
  });

  it("lets public unicast addresses through", () => {
    for (const address of [
      "8.8.8.8",
      "104.18.2.3",
      "100.128.0.1",
      "172.32.0.1",
      "2606:4700::6810:84e5",
      "[2a00:1450:4001::200e]",
    ]) {
      expect(addressRefusal(address), address).toBeNull();
    }
  });
});

describe("parseOutboundUrl", () => {
  it("accepts a plain https URL with a path", () => {
    expect(parseOutboundUrl(" https://api.cal.com/v2 ", strict).href).toBe("https://api.cal.com/v2");
  });

  it.each([
    ["http://api.cal.com/v2", "plain http is not allowed; use https://"],
    ["ftp://api.cal.com/v2", "the ftp scheme is not allowed; use https://"],
    ["file:///etc/passwd", "the file scheme is not allowed; use https://"],
    ["https://user:pass@api.cal.com/v2", "the URL may not carry a user name or password"],
    ["https://token@api.cal.com/v2", "the URL may not carry a user name or password"],
    ["https://api.cal.com/v2?apiKey=x", "the URL may not have a query string"],
    ["https://api.cal.com/v2?", "the URL may not have a query string"],
    ["https://api.cal.com/v2#top", "the URL may not have a fragment"],
    ["not a url", "not a valid URL (use a full https:// address)"],
  ])("refuses %s", (raw, reason) => {
    expect(reasonOf(() => parseOutboundUrl(raw, strict))).toBe(reason);
  });

  it.each([
    ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
    ["https://10.0.0.7/v2", "10.0.0.7 is a private address (RFC 1918)"],
    ["https://127.0.0.1:5432/v2", "127.0.0.1 is a loopback address"],
    ["https://[::1]:9/v2", "::1 is a loopback address"],
    ["https://[::ffff:127.0.0.1]/v2", "127.0.0.1 is a loopback address"],
    ["https://2130706433/v2", "127.0.0.1 is a loopback address"],
    ["https://0x7f.1/v2", "127.0.0.1 is a loopback address"],
    ["https://100.64.1.1/v2", "100.64.1.1 is a carrier-grade NAT address (100.64.0.0/10)"],
    ["https://[fd00::5]/v2", "fd00::5 is a unique-local address (fc00::/7)"],
    ["https://0.0.0.0/v2", "0.0.0.0 is an unspecified address"],
  ])("refuses the literal address in %s", (raw, reason) => {
    expect(reasonOf(() => parseOutboundUrl(raw, strict))).toBe(reason);
  });

  it("OUTBOUND_ALLOW_PRIVATE lifts the address check and allows http, but never userinfo, query or fragment", () => {
    expect(parseOutboundUrl("https://10.0.0.7/v2", lenient).hostname).toBe("10.0.0.7");
    expect(parseOutboundUrl("http://cal.internal:3000/v2", lenient).port).toBe("3000");
    expect(parseOutboundUrl("http://[::1]:9/v2", lenient).hostname).toBe("[::1]");
    expect(reasonOf(() => parseOutboundUrl("https://u:p@10.0.0.7/v2", lenient))).toBe(
      "the URL may not carry a user name or password",
    );
    expect(reasonOf(() => parseOutboundUrl("https://10.0.0.7/v2?x=1", lenient))).toBe(
      "the URL may not have a query string",
    );
    expect(reasonOf(() => parseOutboundUrl("https://10.0.0.7/v2#x", lenient))).toBe("the URL may not have a fragment");
    expect(reasonOf(() => parseOutboundUrl("gopher://10.0.0.7/", lenient))).toBe(
      "the gopher scheme is not allowed; use https://",
    );
  });
});

describe("checkResolvedAddresses", () => {
  it("refuses a name when any one of its addresses is not public", () => {
    expect(() => checkResolvedAddresses("cal.example.com", ["104.18.2.3", "2606:4700::1"], strict)).not.toThrow();
    expect(reasonOf(() => checkResolvedAddresses("rebind.example.com", ["104.18.2.3", "127.0.0.1"], strict))).toBe(
      "rebind.example.com resolves to 127.0.0.1 is a loopback address",
    );
    expect(reasonOf(() => checkResolvedAddresses("mapped.example.com", ["::ffff:192.168.0.1"], strict))).toBe(
      "mapped.example.com resolves to 192.168.0.1 is a private address (RFC 1918)",
    );
    expect(reasonOf(() => checkResolvedAddresses("empty.example.com", [], strict))).toBe(
      "empty.example.com did not resolve to any address",
    );
  });

  it("accepts private answers when the switch is on", () => {
    expect(() => checkResolvedAddresses("cal.internal", ["10.0.0.7", "127.0.0.1"], lenient)).not.toThrow();
  });
});
