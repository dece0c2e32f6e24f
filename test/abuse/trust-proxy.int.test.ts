import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbuseClient } from "./client";
import { startAbuseServer, type AbuseServer } from "./server";

// Behind a reverse proxy (TRUST_PROXY=true): the client address is the last X-Forwarded-For entry, the one the proxy
// appended, and HTTPS is read from X-Forwarded-Proto. Without it (routes.int.test.ts) both headers are ignored.
let server: AbuseServer;
let http: AbuseClient;

beforeAll(async () => {
  server = await startAbuseServer({ TRUST_PROXY: "true" });
  http = new AbuseClient(server.url);
}, 600_000);
afterAll(async () => {
  await server?.stop();
});

describe("TRUST_PROXY=true", () => {
  it("throttles per forwarded client address and audits that address and the user agent", async () => {
    const admin = { email: server.env.ADMIN_EMAIL!, password: server.env.ADMIN_PASSWORD! };
    // The client's own claim comes first; the proxy appends the real address last.
    const from = (ip: string) => ({ "x-forwarded-for": `10.66.0.1, ${ip}`, "user-agent": "abuse-suite/1.0" });
    for (let i = 0; i < 10; i++)
      expect((await http.signIn(admin.email, `wrong-${i}`, from("203.0.113.5"))).error).toBe("CredentialsSignin");
    expect(await http.signIn(admin.email, admin.password, from("203.0.113.5"))).toEqual({
      error: "Too many attempts; try again in 15 minutes",
    });
    const other = await http.signIn(admin.email, admin.password, from("203.0.113.6"));
    expect(other.cookie).toContain("session-token");

    const audit = await http.request("/api/admin/calcom/audit?action=auth.lockout", { cookie: other.cookie });
    expect((audit.json() as { items: { details: unknown }[] }).items).toEqual([
      expect.objectContaining({
        details: { email: admin.email, address: "203.0.113.5", userAgent: "abuse-suite/1.0", scope: "account" },
      }),
    ]);
  });

  it("sends HSTS when the proxy says the request came over HTTPS, not otherwise", async () => {
    const https = await http.request("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(https.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    const plain = await http.request("/login");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
