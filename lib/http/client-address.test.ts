import { describe, expect, it } from "vitest";
import { clientAddress, clientUserAgent } from "./client-address";

describe("clientAddress", () => {
  it("takes the last X-Forwarded-For entry (the socket, or what the trusted proxy appended)", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "10.9.9.9, 203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "2001:db8::1" })).toBe("2001:db8::1");
    expect(clientAddress({ "x-forwarded-for": ["1.1.1.1", "198.51.100.2"] })).toBe("198.51.100.2");
  });
  it("unwraps IPv4-mapped IPv6 and answers unknown for garbage or nothing", () => {
    expect(clientAddress({ "x-forwarded-for": "::ffff:127.0.0.1" })).toBe("127.0.0.1");
    expect(clientAddress({ "x-forwarded-for": "' OR 1=1 --" })).toBe("unknown");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
  it("caps the user agent", () => {
    expect(clientUserAgent({ "user-agent": "x".repeat(1000) })).toHaveLength(300);
    expect(clientUserAgent({})).toBe("");
  });
});
