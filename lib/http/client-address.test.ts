import { describe, expect, it } from "vitest";
import { clientAddress, clientUserAgent, PEER_HEADER } from "./client-address";

describe("clientAddress", () => {
  it("takes the socket address stamped at boot, and ignores a client-sent X-Forwarded-For", () => {
    expect(
      clientAddress({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "198.51.100.9" }, { trustProxy: false }),
    ).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ "x-forwarded-for": "198.51.100.9" }), { trustProxy: false })).toBe("unknown");
  });
  it("behind a trusted proxy takes the last X-Forwarded-For entry (the one the proxy appended)", () => {
    expect(
      clientAddress(new Headers({ "x-forwarded-for": "10.9.9.9, 203.0.113.7", [PEER_HEADER]: "127.0.0.1" }), {
        trustProxy: true,
      }),
    ).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "2001:db8::1" }, { trustProxy: true })).toBe("2001:db8::1");
    expect(clientAddress({ "x-forwarded-for": ["1.1.1.1", "198.51.100.2"] }, { trustProxy: true })).toBe(
      "198.51.100.2",
    );
  });
  it("unwraps IPv4-mapped IPv6 and answers unknown for garbage or nothing", () => {
    expect(clientAddress({ [PEER_HEADER]: "::ffff:127.0.0.1" }, { trustProxy: false })).toBe("127.0.0.1");
    expect(clientAddress({ "x-forwarded-for": "' OR 1=1 --" }, { trustProxy: true })).toBe("unknown");
    expect(clientAddress(new Headers(), { trustProxy: false })).toBe("unknown");
  });
  it("caps the user agent", () => {
    expect(clientUserAgent({ "user-agent": "x".repeat(1000) })).toHaveLength(300);
    expect(clientUserAgent({})).toBe("");
  });
});
