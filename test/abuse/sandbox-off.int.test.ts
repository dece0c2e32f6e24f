import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companies } from "@/drizzle/schema/core";
import { sandboxWebhookDeliveries, sandboxWebhooks } from "@/drizzle/schema/sandbox";
import * as sandboxRoute from "@/app/api/calcom-sandbox/[...path]/route";
import { getCircuitOverview } from "@/lib/calcom/circuit-overview";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getMe } from "@/lib/calcom/endpoints";
import { getCalcomHealthDetails } from "@/lib/calcom/health";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxRateLimit } from "@/lib/calcom-sandbox/rate-limit";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { sendSandboxPing } from "@/lib/calcom-sandbox/webhooks";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { getOverview } from "@/lib/overview/overview";
import { closeDb, getTestDb } from "@/test/db";
import { withEnvRestored } from "@/test/env";

// Deployed with DATABASE_URL, the sandbox is not served unless CALCOM_SANDBOX_ENABLED=true, its control API always
// needs a token, and a company without a Cal.com URL says "Cal.com not configured" instead of using the sandbox.
const setEnv = withEnvRestored([
  "CALCOM_SANDBOX_ENABLED",
  "CALCOM_SANDBOX_URL",
  "SANDBOX_CONTROL_TOKEN",
  "OPS_API_TOKEN",
  "TRUST_PROXY",
]);
const TOKEN = "sandbox-off-control-token-000001";
let db: Db;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const route = (method: Method, path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
  sandboxRoute[method](
    new Request(`http://127.0.0.1:3000/api/calcom-sandbox${path}`, { method, headers: init.headers, body: init.body }),
  );

beforeAll(async () => {
  db = await getTestDb();
});
afterAll(async () => {
  await closeDb();
});

describe("with DATABASE_URL and no CALCOM_SANDBOX_ENABLED", () => {
  it("answers 404 on every sandbox path, the control API included, whatever the token", async () => {
    setEnv({ CALCOM_SANDBOX_ENABLED: undefined, SANDBOX_CONTROL_TOKEN: TOKEN });
    const control = { "x-sandbox-control": TOKEN, "content-type": "application/json" };
    const answers = await Promise.all([
      route("GET", "/v2/me"),
      route("GET", "/v2/teams/34209/event-types"),
      route("POST", "/v2/bookings", { body: "{}" }),
      route("GET", "/_control/state", { headers: control }),
      route("POST", "/_control/webhooks/ping", {
        headers: control,
        body: JSON.stringify({ url: "http://169.254.169.254/" }),
      }),
      route("PUT", "/_control/faults", { headers: control, body: "{}" }),
      route("DELETE", "/anything"),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
  });

  it("shows a company without a Cal.com URL as not configured in the overview, circuit and health, and its calls fail clearly", async () => {
    setEnv({ CALCOM_SANDBOX_ENABLED: undefined, CALCOM_SANDBOX_URL: undefined });
    const slug = `off-${randomUUID()}`;
    const [company] = await db.insert(companies).values({ name: slug, slug, calcomTeamId: 34209 }).returning();
    expect((await getOverview(db, { companyId: company!.id }))[0]).toMatchObject({
      isConfigured: false,
      isSandbox: false,
    });
    expect((await getCircuitOverview(db, { companyId: company!.id }))[0]).toMatchObject({
      isConfigured: false,
      isSandbox: false,
    });
    expect((await getCalcomHealthDetails(db)).companies.find((c) => c.company === slug)).toMatchObject({
      status: "not_configured",
      sandbox: false,
    });
    const call = getMe(await createCalcomHttp(db, company!.id));
    await expect(call).rejects.toThrow(AppError);
    await expect(call).rejects.toMatchObject({
      code: "CALCOM_NOT_CONFIGURED",
      status: 409,
      message: `Cal.com not configured for ${slug}: set its Cal.com API URL and key in Settings (the built-in sandbox is off).`,
    });
  });
});

describe("with CALCOM_SANDBOX_ENABLED=true", () => {
  it("serves the API, and /_control answers 401 without the token, 401 with a wrong one, 200 with SANDBOX_CONTROL_TOKEN", async () => {
    setEnv({ CALCOM_SANDBOX_ENABLED: "true", SANDBOX_CONTROL_TOKEN: TOKEN, OPS_API_TOKEN: undefined });
    expect((await route("GET", "/v2/me")).status).toBe(401);
    expect((await route("GET", "/_control/state")).status).toBe(401);
    expect((await route("GET", "/_control/state", { headers: { "x-sandbox-control": "wrong-token" } })).status).toBe(
      401,
    );
    expect((await route("GET", "/_control/state", { headers: { "x-sandbox-control": TOKEN } })).status).toBe(200);
  });

  it("refuses /_control entirely when no token is configured (no generated token outside demo mode)", async () => {
    setEnv({ CALCOM_SANDBOX_ENABLED: "true", SANDBOX_CONTROL_TOKEN: undefined, OPS_API_TOKEN: undefined });
    expect((await route("GET", "/_control/state")).status).toBe(401);
    expect((await route("GET", "/_control/state", { headers: { "x-sandbox-control": "" } })).status).toBe(401);
  });

  it("caps every body: 413 for an oversized API or control request", async () => {
    setEnv({ CALCOM_SANDBOX_ENABLED: "true", SANDBOX_CONTROL_TOKEN: TOKEN });
    const big = JSON.stringify({ pad: "x".repeat(100 * 1024) });
    const api = await route("POST", "/v2/bookings", { headers: { "content-type": "application/json" }, body: big });
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({
      status: "error",
      error: { code: "PayloadTooLargeException", message: "The request body is larger than 65536 bytes" },
    });
    const control = await route("POST", "/_control/seed", {
      headers: { "x-sandbox-control": TOKEN },
      body: JSON.stringify({ pad: "x".repeat(1100 * 1024) }),
    });
    expect(control.status).toBe(413);
    expect(await control.json()).toEqual({
      error: { code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than 1048576 bytes" },
    });
  });
});

describe("the sandbox's own hardening (served over node:http)", () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await createSandboxFixture(db);
  });
  afterAll(async () => {
    await resetSandbox(db);
    await fx?.close();
  });

  it("sends webhooks only to this app's webhook endpoint: other subscribers are refused when set and when delivering", async () => {
    const ping = await fx.control("/webhooks/ping", { body: { url: "http://169.254.169.254/latest/meta-data" } });
    expect(ping.status).toBe(400);
    const put = await fx.control("/webhooks", {
      method: "PUT",
      body: { teamId: fx.teamId, subscriberUrl: "http://127.0.0.1:5432/api/webhooks/calcom/x" },
    });
    expect(put.status).toBe(400);
    // A subscriber written around the control API (straight into the table) is still refused before any request.
    await db
      .insert(sandboxWebhooks)
      .values({ teamId: fx.teamId, subscriberUrl: "http://10.0.0.7/hook", secret: null, active: true, triggers: [] });
    const results = await sendSandboxPing(db, { teamId: fx.teamId });
    expect(results).toContainEqual(
      expect.objectContaining({
        url: "http://10.0.0.7/hook",
        ok: false,
        statusCode: null,
        error: expect.stringContaining("refused: the sandbox only delivers to this app's webhook endpoint"),
      }),
    );
    const [logged] = await db
      .select()
      .from(sandboxWebhookDeliveries)
      .where(eq(sandboxWebhookDeliveries.subscriberUrl, "http://10.0.0.7/hook"))
      .orderBy(desc(sandboxWebhookDeliveries.id))
      .limit(1);
    expect(logged).toMatchObject({ statusCode: null, error: expect.stringContaining("refused:") });
  });

  it("keys anonymous callers by socket address: a forged X-Forwarded-For gets no fresh window unless TRUST_PROXY is set", async () => {
    await setSandboxRateLimit(db, { limit: 2 });
    const anonymous = (ip: string) =>
      fx
        .call(`/v2/teams/${fx.teamId}/event-types`, { key: null, headers: { "x-forwarded-for": ip, "x-real-ip": ip } })
        .then((r) => r.status);
    setEnv({ TRUST_PROXY: undefined });
    expect([await anonymous("203.0.113.1"), await anonymous("203.0.113.2"), await anonymous("203.0.113.3")]).toEqual([
      200, 200, 429,
    ]);
    await resetSandbox(db);
    await setSandboxRateLimit(db, { limit: 2 });
    setEnv({ TRUST_PROXY: "true" });
    expect([await anonymous("203.0.113.4"), await anonymous("203.0.113.4"), await anonymous("203.0.113.5")]).toEqual([
      200, 200, 200,
    ]);
    expect(await anonymous("203.0.113.4")).toBe(429);
  });
});
