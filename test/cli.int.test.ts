import { spawnSync } from "node:child_process";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { auditLog } from "@/drizzle/schema/core";
import { forceOpenCircuit } from "@/lib/calcom/breaker";
import { createTestCompany } from "@/lib/calcom/client-test-helpers";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { runCli } from "@/scripts/cli/program";
import { getTestDb } from "./db";

// The operations CLI against the test database and the sandbox over HTTP: --json output and exit codes.
let db: Db;
let fx: SandboxFixture;
let companyId: number;
const actor = { kind: "system", label: "cli-it", role: "operator" } as const;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { db: async () => db, io: { out: (l) => out.push(l), err: (l) => err.push(l) } });
  const text = out.join("\n");
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // text mode
  }
  return { code, text, json: json as Record<string, unknown> & { companies?: unknown[] }, err: err.join("\n") };
}

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
  ({ companyId } = await createTestCompany(db, { fx }));
});
afterAll(async () => {
  await fx?.close();
});

describe("operations CLI", () => {
  it("health-check --json: healthy company, exit 0", async () => {
    const r = await cli("health-check", "--company", String(companyId), "--json");
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      service: "cal.com",
      status: "healthy",
      companies: [
        expect.objectContaining({
          companyId,
          status: "healthy",
          circuit: expect.objectContaining({ state: "closed" }),
        }),
      ],
    });
  });

  it("raw-api GET /v2/me goes through the company's client and is audited; exit 0", async () => {
    const r = await cli("raw-api", "GET", "/v2/me", "--company", String(companyId), "--json");
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      status: 200,
      request: { url: `${fx.url}/v2/me`, headers: expect.objectContaining({ "cal-api-version": "2024-08-13" }) },
    });
    expect((r.json.response as { body: { data: { email: string } } }).body.data.email).toContain("@");
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "calcom.raw-api"), eq(auditLog.companyId, companyId)));
    expect(audit?.details).toMatchObject({ path: "/v2/me", status: 200 });
  });

  it("raw-api: a Cal.com error exits 1 with its CAL code; another method or a URL is a usage error (2)", async () => {
    const notFound = await cli("raw-api", "GET", "/v2/bookings/doesnotexist", "--company", String(companyId), "--json");
    expect(notFound.code).toBe(1);
    expect(notFound.json).toMatchObject({ ok: false, status: 404, error: { calCode: "CAL-011" } });
    // The guide's legacy path without /v2 is placed under the base.
    const legacy = await cli("raw-api", "GET", "/slots/available", "--company", String(companyId), "--json");
    expect((legacy.json.request as { url: string }).url).toBe(`${fx.url}/v2/slots/available`);
    expect((await cli("raw-api", "DELETE", "/v2/bookings/abc", "--company", String(companyId))).code).toBe(2);
    const escape = await cli("raw-api", "GET", "https://evil.example/v2/me", "--company", String(companyId));
    expect(escape.code).toBe(2);
    expect(escape.err).toMatch(/not a URL/);
    expect((await cli("raw-api", "GET", "/v2/../admin", "--company", String(companyId))).code).toBe(2);
  });

  it("circuit-status exits 0 while closed and 1 once open; health-check then reports down", async () => {
    const closed = await cli("circuit-status", "--company", String(companyId), "--json");
    expect(closed.code).toBe(0);
    expect(closed.json).toMatchObject({ circuits: [expect.objectContaining({ companyId, state: "closed" })] });
    await forceOpenCircuit(db, {
      companyId,
      reason: "cli test",
      until: new Date(Date.now() + 60_000).toISOString(),
      actor,
    });
    const open = await cli("circuit-status", "--company", String(companyId));
    expect(open.code).toBe(1);
    expect(open.text).toMatch(/OPEN .*held open for maintenance/);
    const health = await cli("health-check", "--company", String(companyId), "--json");
    expect(health.code).toBe(1);
    expect(health.json).toMatchObject({ status: "down" });
    const watch = await cli(
      "circuit-status",
      "--company",
      String(companyId),
      "--watch",
      "--count",
      "2",
      "--interval",
      "0.2",
      "--json",
    );
    expect(watch.text.split("\n").map((l) => JSON.parse(l) as { circuits: { state: string }[] })).toHaveLength(2);
    expect(watch.code).toBe(1);
  });

  it("circuit-reset closes it again (exit 0)", async () => {
    const r = await cli("circuit-reset", "--company", String(companyId), "--reason", "cli test done", "--json");
    expect(r).toMatchObject({ code: 0, json: { companyId, state: "closed" } });
  });

  it("reconcile-bookings exits 0 on a clean range; usage errors exit 2", async () => {
    const clean = await cli(
      "reconcile-bookings",
      "--from",
      "2049-01-01",
      "--to",
      "2049-01-31",
      "--company",
      String(companyId),
      "--json",
    );
    expect(clean.code).toBe(0);
    expect(clean.json).toMatchObject({ runs: [expect.objectContaining({ status: "completed", companyId })] });
    expect((await cli("reconcile-bookings", "--to", "2049-01-31")).code).toBe(2);
    expect((await cli("reconcile-bookings", "--from", "yesterday-ish")).code).toBe(2);
    expect((await cli("no-such-command")).code).toBe(2);
    expect((await cli("health-check", "--company", "no-such-company")).code).toBe(2);
  });

  it("the other helpers' commands: sync, webhooks, availability, recovery", async () => {
    const sync = await cli("sync-event-types", "--company", String(companyId), "--check-only", "--json");
    expect(sync.code).toBe(0);
    expect(sync.json).toMatchObject({
      runs: [
        expect.objectContaining({
          companyId,
          status: "succeeded",
          isCheckOnly: true,
          counts: expect.objectContaining({ found: 45 }),
        }),
      ],
    });
    expect((await cli("sync-event-types", "--check-only")).code).toBe(2); // neither --company nor --all
    const status = await cli("sync-status", "--company", String(companyId), "--json");
    const company = (status.json.companies as { company_id: number; is_stale: boolean; sync_errors: unknown[] }[])[0]!;
    expect(company.company_id).toBe(companyId);
    // Only a check-only run so far: no live sync, so the company counts as stale (exit 1).
    expect(company.is_stale).toBe(true);
    expect(status.code).toBe(1);
    const hooks = await cli("webhook-status", "--company", String(companyId), "--json");
    expect(hooks.json).toMatchObject({
      companies: [expect.objectContaining({ companyId, lastVerifiedAt: null, pending: 0 })],
    });
    expect(hooks.code).toBe(1); // never received a webhook: silent
    const slots = await cli(
      "debug-availability",
      String(fx.et(3757770)),
      "--date",
      "2050-09-05",
      "--company",
      String(companyId),
      "--json",
    );
    expect(slots.code).toBe(0);
    expect((slots.json.slots as unknown[]).length).toBeGreaterThan(0);
    expect((await cli("debug-availability", "abc", "--date", "2050-09-05")).code).toBe(2);
    const recovery = await cli(
      "recover-failed-bookings",
      "--company",
      String(companyId),
      "--from",
      "2049-01-01",
      "--to",
      "2049-01-02",
      "--json",
    );
    expect(recovery).toMatchObject({ code: 0, json: { considered: 0, booked: 0 } });
  });

  it("the npm entry runs the same code as a separate process", () => {
    const r = spawnSync(
      "node",
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "scripts/calcom.ts",
        "circuit-status",
        "--company",
        String(companyId),
        "--json",
      ],
      {
        env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ circuits: [expect.objectContaining({ companyId, state: "closed" })] });
  });
});
