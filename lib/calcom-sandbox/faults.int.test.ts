import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { getTestDb } from "@/test/db";
import { getSandboxState, resetSandbox } from "./control";
import { MSG } from "./constants";
import { resetSandboxFaults, setSandboxFaults } from "./faults";
import { setSandboxRateLimit } from "./rate-limit";
import { createSandboxFixture, type SandboxFixture } from "./test-fixtures";

// Rate limit, fault injection, request counters and the control endpoint's protection, over real HTTP.
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await createSandboxFixture(await getTestDb());
});
afterEach(async () => {
  delete process.env.OPS_API_TOKEN;
  resetEnvCache();
  await resetSandbox(fx.db);
});
afterAll(async () => {
  await fx?.close();
});

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("rate limit", () => {
  it("sends the -Default headers on every response, then 429 and a block", async () => {
    const first = await fx.call("/v2/me");
    expect(first.headers.get("x-ratelimit-limit-default")).toBe("120");
    expect(Number(first.headers.get("x-ratelimit-remaining-default"))).toBeLessThan(120);
    expect(first.headers.get("x-ratelimit-reset-default")).toMatch(/^\d+$/);
    expect(first.headers.get("retry-after")).toBeNull();
    expect(first.headers.get("x-ratelimit-limit")).toBeNull();

    await resetSandbox(fx.db); // forget the hits above
    const put = await fx.control("/rate-limit", { method: "PUT", body: { limit: 3 } });
    expect(((await put.json()) as { data: { limit: number } }).data.limit).toBe(3);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fx.call("/v2/me");
      expect(res.status).toBe(200);
      remaining.push(res.headers.get("x-ratelimit-remaining-default") ?? "");
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await fx.call("/v2/me");
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toEqual({
      code: "ThrottlerException",
      message: MSG.throttled,
      details: expect.anything(),
    });
    expect(Number(limited.headers.get("x-ratelimit-reset-default"))).toBeGreaterThan(55);
    // Blocked for the whole block time, on every endpoint of that key; another caller is unaffected.
    expect((await fx.call(`/v2/teams/${fx.teamId}/event-types`)).status).toBe(429);
    expect((await fx.call(`/v2/teams/${fx.teamId}/event-types`, { key: null })).status).toBe(200);
  });

  it("agrees across concurrent requests because it counts in the database", async () => {
    await setSandboxRateLimit(fx.db, { limit: 10 });
    const statuses = await Promise.all(Array.from({ length: 25 }, () => fx.call("/v2/me").then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });
});

describe("faults", () => {
  it("forces a status for a number of responses, per family", async () => {
    await fx.control("/faults", {
      method: "PATCH",
      body: { families: { slots: { forceStatus: 503, forceCount: 2 } } },
    });
    const q = `/v2/slots?eventTypeId=${fx.et(3757770)}&start=2050-09-05&end=2050-09-05`;
    const first = await fx.call(q, { version: "2024-09-04" });
    expect(first.status).toBe(503);
    expect(await errorOf(first)).toMatchObject({ code: "ServiceUnavailableException" });
    expect((await fx.call("/v2/me")).status).toBe(200); // other families untouched
    expect((await fx.call(q, { version: "2024-09-04" })).status).toBe(503);
    expect((await fx.call(q, { version: "2024-09-04" })).status).toBe(200);
    const state = await getSandboxState(fx.db);
    expect(state.faults.families.slots).toMatchObject({ forceStatus: 503, forceCount: 0 });
  });

  it("answers random 500s in the bare NestJS shape or the envelope variant", async () => {
    await setSandboxFaults(fx.db, { families: { me: { errorRate: 1 } } });
    const bare = await fx.call("/v2/me");
    expect(bare.status).toBe(500);
    expect(await bare.json()).toEqual({ statusCode: 500, message: "Internal server error" });
    await setSandboxFaults(fx.db, { families: { all: { errorRate: 1, errorShape: "envelope" }, me: null } });
    const envelope = await fx.call(`/v2/teams/${fx.teamId}/event-types`);
    expect(await envelope.json()).toMatchObject({
      status: "error",
      error: { code: "INTERNAL_SERVER_ERROR", message: "There was an error, please try again later." },
    });
  });

  it("adds latency and hangs until the client gives up", async () => {
    await setSandboxFaults(fx.db, { families: { me: { latencyMs: 300 } } });
    const started = Date.now();
    expect((await fx.call("/v2/me")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await setSandboxFaults(fx.db, { families: { me: { latencyMs: 0, timeoutMs: 5_000 } } });
    await expect(fx.call("/v2/me", { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    await setSandboxFaults(fx.db, { families: { me: { timeoutMs: 100 } } });
    const late = await fx.call("/v2/me");
    expect(late.status).toBe(504);
  });

  it("forces 429 and 401 responses in Cal.com's texts", async () => {
    await setSandboxFaults(fx.db, { families: { bookings: { forceStatus: 429 } }, revokedKeys: false });
    expect(await errorOf(await fx.call("/v2/bookings", { version: "2024-08-13" }))).toMatchObject({
      code: "ThrottlerException",
      message: MSG.throttled,
    });
    await setSandboxFaults(fx.db, { families: { bookings: { forceStatus: 401 } } });
    expect(await errorOf(await fx.call("/v2/bookings", { version: "2024-08-13" }))).toMatchObject({
      code: "UnauthorizedException",
      message: MSG.invalidKey,
    });
  });

  it("revokes every key and empties event-type lists", async () => {
    await fx.control("/faults", { method: "PUT", body: { revokedKeys: true, emptyEventTypes: true } });
    const revoked = await fx.call("/v2/me");
    expect(revoked.status).toBe(401);
    expect((await errorOf(revoked)).message).toBe(MSG.invalidKey);
    const teamList = await fx.call(`/v2/teams/${fx.teamId}/event-types`, { key: null });
    expect(((await teamList.json()) as { data: unknown[] }).data).toEqual([]);
    await fx.control("/reset-faults", { method: "POST" });
    expect((await fx.call("/v2/me")).status).toBe(200);
  });

  it("validates control input with zod", async () => {
    const res = await fx.control("/faults", { method: "PATCH", body: { families: { slots: { errorRate: 2 } } } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
  });
});

describe("request counters and control", () => {
  it("counts /v2 requests per family in the database", async () => {
    await fx.control("/reset-counters", { method: "POST" });
    await Promise.all([fx.call("/v2/me"), fx.call("/v2/me"), fx.call(`/v2/teams/${fx.teamId}/event-types`)]);
    const state = ((await (await fx.control("/state")).json()) as { data: Awaited<ReturnType<typeof getSandboxState>> })
      .data;
    expect(state.requests).toMatchObject({ me: 2, "event-types": 1, total: 3 });
    expect(state.counts.eventTypes).toBeGreaterThanOrEqual(45);
    expect(state.rateLimit).toEqual({ limit: 120, ttlSeconds: 60, blockSeconds: 60 });
  });

  it("protects /_control with x-sandbox-control: either configured token, and none at all means no access", async () => {
    const saved = process.env.SANDBOX_CONTROL_TOKEN;
    try {
      process.env.SANDBOX_CONTROL_TOKEN = "control-token-control-token-1234";
      process.env.OPS_API_TOKEN = "ops-token-ops-token-ops-token-5678";
      resetEnvCache();
      expect((await fx.control("/state", { token: null })).status).toBe(401);
      expect((await fx.control("/state", { token: "wrong" })).status).toBe(401);
      expect((await fx.control("/state", { token: "control-token-control-token-1234" })).status).toBe(200);
      expect((await fx.control("/state", { token: "ops-token-ops-token-ops-token-5678" })).status).toBe(200);
      expect((await fx.control("/nope", { token: "control-token-control-token-1234" })).status).toBe(404);
      // With DATABASE_URL and neither token set, nothing opens /_control (no generated token outside demo mode).
      delete process.env.SANDBOX_CONTROL_TOKEN;
      delete process.env.OPS_API_TOKEN;
      resetEnvCache();
      expect((await fx.control("/state", { token: null })).status).toBe(401);
      expect((await fx.control("/state", { token: "" })).status).toBe(401);
    } finally {
      process.env.SANDBOX_CONTROL_TOKEN = saved;
      resetEnvCache();
    }
  });
});

describe("fault patches", () => {
  it("a partial patch changes only the fields it names", async () => {
    const db = await getTestDb();
    await setSandboxFaults(db, { families: { slots: { forceStatus: 503, forceCount: 2 } } });
    const after = await setSandboxFaults(db, { families: { slots: { latencyMs: 10 } } });
    expect(after.families.slots).toMatchObject({ forceStatus: 503, forceCount: 2, latencyMs: 10 });
    await resetSandboxFaults(db);
  });
});
