import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/drizzle/schema/core";
import { createTestCompany, startProxy, upstreamCount } from "@/lib/calcom/client-test-helpers";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { getTestDb } from "@/test/db";
import { runRawGet } from "./raw-api";
import { REDACTED } from "./redact";

// The raw console over real HTTP: an answer carrying secrets (as Cal.com's webhook objects do) is shown and audited
// without them; families outside the read allowlist never leave the app.
const OPERATOR: Actor = { kind: "system", label: "raw-api.int.test", role: "operator" };
const LEAKS = [
  "whsec_leaked_secret_0001",
  "cal_live_leaked_key_0002",
  "oauth_leaked_token_0003",
  "hunter2-leaked-password",
];
let db: Db;
let fx: SandboxFixture;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
  // In front of the sandbox: /v2/me answers with a body full of sensitive fields, everything else passes through.
  proxy = await startProxy(fx.url, (_req, url) => {
    if (url.pathname !== "/v2/me") return;
    return (_answer, res) => {
      const data = {
        id: 7,
        email: "owner@example.com",
        webhookSecret: LEAKS[0],
        apiKey: LEAKS[1],
        nested: [{ accessToken: LEAKS[2], password: LEAKS[3], kept: "visible" }],
      };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "success", data }));
      return true;
    };
  });
});
afterAll(async () => {
  await proxy?.close();
  await fx?.close();
});

describe("raw API console", () => {
  it("redacts every field named like secret, key, token or password in what it shows and audits", async () => {
    const { companyId } = await createTestCompany(db, { fx, url: proxy.url });
    const result = await runRawGet(db, {
      input: { companyId, path: "/v2/me", params: { apiKey: LEAKS[1]!, take: 1 } },
      actor: OPERATOR,
    });
    expect(result.ok).toBe(true);
    expect(result.response?.body).toEqual({
      status: "success",
      data: {
        id: 7,
        email: "owner@example.com",
        webhookSecret: REDACTED,
        apiKey: REDACTED,
        nested: [{ accessToken: REDACTED, password: REDACTED, kept: "visible" }],
      },
    });
    expect(result.request.url).toContain("apiKey=[redacted]");
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "calcom.raw-api"), eq(auditLog.companyId, companyId)));
    expect(audit?.details).toMatchObject({ path: "/v2/me", params: { apiKey: REDACTED, take: "1" } });
    const shownAndLogged = JSON.stringify({ result, audit });
    for (const leak of LEAKS) expect(shownAndLogged).not.toContain(leak);
  });

  it("refuses a family outside the read allowlist before anything is sent", async () => {
    const { companyId } = await createTestCompany(db, { fx });
    const before = await upstreamCount(db);
    const refused = runRawGet(db, { input: { companyId, path: "/v2/webhooks" }, actor: OPERATOR });
    await expect(refused).rejects.toThrow(AppError);
    await expect(refused).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message:
        "The raw console only reads me, teams, event-types, slots, bookings, schedules; /v2/webhooks is not one of them",
    });
    expect(await upstreamCount(db)).toBe(before);
  });
});
