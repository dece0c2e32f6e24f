import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers";

describe("securityHeaders", () => {
  it("a CSP with the request's nonce and no inline or eval script in production", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123==", isHttps: false, isDev: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"])
      expect(csp).toContain(d);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).not.toContain("upgrade-insecure-requests");
  });
  it("HSTS and upgrade-insecure-requests only over https; eval only for the dev server", () => {
    const https = securityHeaders({ nonce: "n", isHttps: true, isDev: false });
    expect(https["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    expect(securityHeaders({ nonce: "n", isHttps: false, isDev: false })).not.toHaveProperty(
      "Strict-Transport-Security",
    );
    expect(contentSecurityPolicy({ nonce: "n", isHttps: false, isDev: true })).toContain("'unsafe-eval'");
  });
  it("fresh 128-bit nonces", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
