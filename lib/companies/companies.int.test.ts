import { randomBytes, randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditLog, companies, companyWebhookSecrets, type Company } from "@/drizzle/schema/core";
import type { Actor } from "@/lib/auth/roles";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { queryRows, type Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { closeDb, getTestDb } from "@/test/db";
import { withEnvRestored } from "@/test/env";
import { getSandboxBaseUrl, REAL_CALCOM_URL, resolveCalcomTarget } from "./calcom-target";
import { addWebhookSecret, listCompanies, setWebhookSecretActive, updateCompanySettings } from "./companies";

const SYSTEM: Actor = { kind: "system", label: "companies.int.test", role: "admin" };
const setEnv = withEnvRestored([
  "NODE_ENV",
  "CALCOM_V2_API_URL",
  "DEFAULT_CALCOM_API_KEY",
  "DEFAULT_CALCOM_TEAM_ID",
  "DEFAULT_CALCOM_TEAM_SLUG",
  "CALCOM_SANDBOX_URL",
  "CALCOM_SANDBOX_ENABLED",
]);

let db: Db;

beforeAll(async () => {
  db = await getTestDb();
});
afterAll(async () => {
  await closeDb();
});

async function newCompany(values: Partial<typeof companies.$inferInsert> = {}): Promise<Company> {
  const slug = `co-${randomUUID()}`;
  const [row] = await db
    .insert(companies)
    .values({ name: `Test ${slug}`, slug, ...values })
    .returning();
  return row!;
}

async function companyRow(id: number): Promise<Company> {
  const [row] = await db.select().from(companies).where(eq(companies.id, id));
  return row!;
}

/** The row as PostgreSQL stores it, independent of Drizzle's column mapping. */
async function rawRowJson(id: number): Promise<string> {
  const [row] = await queryRows<{ json: unknown }>(
    db,
    sql`select row_to_json(c)::text as json from companies c where c.id = ${id}`,
  );
  return String(row?.json);
}

async function auditForCompany(companyId: number) {
  return db.select().from(auditLog).where(eq(auditLog.companyId, companyId)).orderBy(asc(auditLog.id));
}

async function viewOf(companyId: number) {
  const view = (await listCompanies(db)).find((c) => c.id === companyId);
  expect(view).toBeDefined();
  return view!;
}

function liveKey(): string {
  return `cal_live_${randomBytes(16).toString("hex")}`;
}

describe("updateCompanySettings: API key", () => {
  it("stores the key only encrypted, exposes only its last 4, and keeps it out of the audit log", async () => {
    const company = await newCompany();
    const apiKey = liveKey();
    const last4 = apiKey.slice(-4);
    const { company: returned, findings } = await updateCompanySettings(db, {
      companyId: company.id,
      input: { apiKey, calcomTeamId: 777 },
      actor: SYSTEM,
    });
    expect(findings).toEqual([]);

    const row = await companyRow(company.id);
    for (const [column, value] of Object.entries(row)) {
      if (typeof value === "string") expect(value, column).not.toContain(apiKey);
    }
    expect(JSON.stringify(row)).not.toContain(apiKey);
    expect(await rawRowJson(company.id)).not.toContain(apiKey);
    expect(row.calcomApiKeyEnc).toMatch(/^v1:/);
    expect(decryptSecret(row.calcomApiKeyEnc!)).toBe(apiKey);
    expect(row.calcomApiKeyLast4).toBe(last4);
    expect(row.calcomTeamId).toBe(777);

    for (const view of [returned, await viewOf(company.id)]) {
      expect(view.calcom.apiKeyMasked).toBe(`••••${last4}`);
      expect(JSON.stringify(view)).not.toContain(apiKey);
      expect(JSON.stringify(view)).not.toContain(row.calcomApiKeyEnc!);
    }

    const audit = await auditForCompany(company.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "company.settings.update",
      targetId: String(company.id),
      details: { apiKeyChanged: true, calcomTeamId: 777 },
    });
    expect(audit[0]?.details).not.toHaveProperty("apiKey");
    expect(JSON.stringify(audit[0])).not.toContain(apiKey);
  });

  it("clears the key on clearApiKey and keeps it when apiKey is omitted", async () => {
    const company = await newCompany();
    const apiKey = liveKey();
    await updateCompanySettings(db, { companyId: company.id, input: { apiKey }, actor: SYSTEM });
    await updateCompanySettings(db, { companyId: company.id, input: { name: "Renamed" }, actor: SYSTEM });
    const kept = await companyRow(company.id);
    expect(kept.name).toBe("Renamed");
    expect(decryptSecret(kept.calcomApiKeyEnc!)).toBe(apiKey);

    const { company: view } = await updateCompanySettings(db, {
      companyId: company.id,
      input: { clearApiKey: true },
      actor: SYSTEM,
    });
    expect(view.calcom.apiKeyMasked).toBeNull();
    expect(await companyRow(company.id)).toMatchObject({ calcomApiKeyEnc: null, calcomApiKeyLast4: null });
    expect((await auditForCompany(company.id)).map((a) => a.details?.apiKeyChanged)).toEqual([true, false, false]);
  });

  it('refuses a "Bearer ..." key with BAD_REQUEST and findings, writing nothing', async () => {
    const company = await newCompany();
    const before = await companyRow(company.id);
    const apiKey = `Bearer ${liveKey()}`;
    const error = await updateCompanySettings(db, {
      companyId: company.id,
      input: { apiKey, name: "Should not stick" },
      actor: SYSTEM,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Bearer"),
      details: { findings: [expect.objectContaining({ level: "error", field: "apiKey" })] },
    });
    expect(JSON.stringify((error as AppError).details)).not.toContain(apiKey);
    expect(await companyRow(company.id)).toEqual(before);
    expect(await auditForCompany(company.id)).toEqual([]);
  });

  it("refuses an unknown cal-api-version with a 400 naming the field and the allowed values, writing nothing", async () => {
    const company = await newCompany();
    const before = await companyRow(company.id);
    const error = await updateCompanySettings(db, {
      companyId: company.id,
      input: { calcomApiVersions: { bookings: "2024-08-31" } },
      actor: SYSTEM,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      message:
        'calcomApiVersions.bookings: "2024-08-31" is not a cal-api-version Cal.com serves bookings with; allowed: 2024-08-13, 2026-02-25. Cal.com does not reject unknown values, it silently routes them to its legacy handlers.',
      details: {
        issues: [
          { path: "calcomApiVersions.bookings", message: expect.stringContaining("allowed: 2024-08-13, 2026-02-25") },
        ],
      },
    });
    expect(await companyRow(company.id)).toEqual(before);
    const { company: view } = await updateCompanySettings(db, {
      companyId: company.id,
      input: { calcomApiVersions: { bookings: "2026-02-25", slotsLegacy: "2024-06-14" } },
      actor: SYSTEM,
    });
    expect(view.calcom.apiVersions).toEqual({ bookings: "2026-02-25", slotsLegacy: "2024-06-14" });
  });

  it("refuses plain http to a non-loopback host", async () => {
    const company = await newCompany();
    await expect(
      updateCompanySettings(db, {
        companyId: company.id,
        input: { calcomApiUrl: "http://api.cal.com/v2" },
        actor: SYSTEM,
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { findings: [expect.objectContaining({ field: "apiUrl", level: "error" })] },
    });
    expect((await companyRow(company.id)).calcomApiUrl).toBeNull();
  });

  it("saves a test key with a /staging/ URL but returns and audits the warnings (production)", async () => {
    setEnv({ NODE_ENV: "production" });
    const company = await newCompany();
    const apiKey = `cal_test_${randomBytes(8).toString("hex")}`;
    const { company: view, findings } = await updateCompanySettings(db, {
      companyId: company.id,
      input: { apiKey, calcomApiUrl: "https://api.cal.com/staging/v2" },
      actor: SYSTEM,
    });
    expect(findings.map((f) => [f.level, f.field])).toEqual([
      ["warning", "apiKey"],
      ["warning", "apiUrl"],
    ]);
    const row = await companyRow(company.id);
    expect(row.calcomApiUrl).toBe("https://api.cal.com/staging/v2");
    expect(decryptSecret(row.calcomApiKeyEnc!)).toBe(apiKey);
    expect(view.calcom).toMatchObject({ source: "company", isSandbox: false, apiUrl: "https://api.cal.com/staging" });
    const [audit] = await auditForCompany(company.id);
    expect(audit?.details?.warnings).toEqual(findings.map((f) => f.message));
  });

  it("answers NOT_FOUND for an unknown company", async () => {
    await expect(
      updateCompanySettings(db, { companyId: 2_000_000_000, input: { name: "x" }, actor: SYSTEM }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("resolveCalcomTarget", () => {
  it("sends a company without a URL to the built-in sandbox, with its own key", async () => {
    setEnv({ CALCOM_SANDBOX_URL: "http://127.0.0.1:4999/api/calcom-sandbox/v2/" });
    const apiKey = liveKey();
    const company = await newCompany({ calcomTeamId: 55 });
    await updateCompanySettings(db, { companyId: company.id, input: { apiKey }, actor: SYSTEM });
    const target = resolveCalcomTarget(await companyRow(company.id));
    expect(getSandboxBaseUrl()).toBe("http://127.0.0.1:4999/api/calcom-sandbox");
    expect(target).toEqual({
      baseUrl: "http://127.0.0.1:4999/api/calcom-sandbox",
      apiKey,
      teamId: 55,
      teamSlug: null,
      organizationId: null,
      isSandbox: true,
      isConfigured: true,
      source: "sandbox",
    });
    expect((await viewOf(company.id)).calcom).toMatchObject({ source: "sandbox", isSandbox: true, apiUrl: null });
  });

  it("uses the company's own URL, normalised, when it has one", async () => {
    const company = await newCompany({ calcomApiUrl: "https://api.cal.com/v2/" });
    expect(resolveCalcomTarget(company)).toMatchObject({
      baseUrl: "https://api.cal.com",
      source: "company",
      isSandbox: false,
      apiKey: null,
    });
  });

  it("gives the default company the environment's URL, key and team; other companies ignore them", async () => {
    setEnv({
      CALCOM_V2_API_URL: "https://cal.example.com/v2",
      DEFAULT_CALCOM_API_KEY: "cal_live_from_environment_0001",
      DEFAULT_CALCOM_TEAM_ID: "34209",
      DEFAULT_CALCOM_TEAM_SLUG: "env-team",
      CALCOM_SANDBOX_ENABLED: undefined,
    });
    // Only one default company may exist per database (companies_one_default), and the demo seed may own it:
    // the default flag is applied to a copy of a real row instead.
    const row = await newCompany({ calcomTeamId: 1, calcomTeamSlug: "own-team", calcomOrganizationId: 9 });
    expect(resolveCalcomTarget({ ...row, isDefault: true })).toEqual({
      baseUrl: "https://cal.example.com",
      apiKey: "cal_live_from_environment_0001",
      teamId: 34209,
      teamSlug: "env-team",
      organizationId: 9,
      isSandbox: false,
      isConfigured: true,
      source: "environment",
    });
    // DATABASE_URL, no CALCOM_SANDBOX_ENABLED, no CALCOM_SANDBOX_URL: no sandbox to fall back to.
    expect(resolveCalcomTarget(row)).toMatchObject({
      source: "unconfigured",
      isConfigured: false,
      isSandbox: false,
      apiKey: null,
      teamId: 1,
    });
    // The company's own URL wins over the environment.
    expect(resolveCalcomTarget({ ...row, isDefault: true, calcomApiUrl: "https://own.example.com" })).toMatchObject({
      source: "company",
      baseUrl: "https://own.example.com",
    });
  });

  it("falls back to api.cal.com and the company's key when only part of the environment is set", async () => {
    setEnv({ DEFAULT_CALCOM_API_KEY: "cal_live_only_key_set_0002", CALCOM_V2_API_URL: undefined });
    const row = await newCompany({ calcomTeamId: 3 });
    expect(resolveCalcomTarget({ ...row, isDefault: true })).toMatchObject({
      baseUrl: REAL_CALCOM_URL,
      apiKey: "cal_live_only_key_set_0002",
      teamId: 3,
      source: "environment",
    });

    setEnv({ CALCOM_V2_API_URL: "https://cal.example.com", DEFAULT_CALCOM_API_KEY: undefined });
    const apiKey = liveKey();
    await updateCompanySettings(db, { companyId: row.id, input: { apiKey }, actor: SYSTEM });
    expect(resolveCalcomTarget({ ...(await companyRow(row.id)), isDefault: true })).toMatchObject({
      baseUrl: "https://cal.example.com",
      apiKey,
      source: "environment",
    });
  });
});

describe("webhook secrets", () => {
  it("adds a secret encrypted, shows it masked and audits the label only", async () => {
    const company = await newCompany();
    const secret = `whsec_${randomBytes(20).toString("hex")}`;
    const { id } = await addWebhookSecret(db, {
      companyId: company.id,
      input: { label: "primary", secret },
      actor: SYSTEM,
    });

    const [row] = await db.select().from(companyWebhookSecrets).where(eq(companyWebhookSecrets.id, id));
    expect(row).toMatchObject({
      companyId: company.id,
      label: "primary",
      secretLast4: secret.slice(-4),
      isActive: true,
    });
    expect(row?.secretEnc).not.toContain(secret);
    expect(decryptSecret(row!.secretEnc)).toBe(secret);

    const view = await viewOf(company.id);
    expect(view.webhookSecrets).toEqual([
      {
        id,
        label: "primary",
        masked: `••••${secret.slice(-4)}`,
        isActive: true,
        createdAt: row!.createdAt,
        source: "stored",
      },
    ]);
    expect(JSON.stringify(view)).not.toContain(secret);

    const audit = await auditForCompany(company.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "company.webhook-secret.add",
      targetType: "webhook_secret",
      targetId: String(id),
      details: { label: "primary" },
    });
    expect(JSON.stringify(audit[0])).not.toContain(secret);
  });

  it("deactivates and reactivates a secret, auditing each change", async () => {
    const company = await newCompany();
    const { id } = await addWebhookSecret(db, {
      companyId: company.id,
      input: { label: "rotating", secret: "whsec_rotate_me_1234" },
      actor: SYSTEM,
    });
    await setWebhookSecretActive(db, { companyId: company.id, secretId: id, isActive: false, actor: SYSTEM });
    expect((await viewOf(company.id)).webhookSecrets[0]?.isActive).toBe(false);
    await setWebhookSecretActive(db, { companyId: company.id, secretId: id, isActive: true, actor: SYSTEM });
    expect((await viewOf(company.id)).webhookSecrets[0]?.isActive).toBe(true);
    expect((await auditForCompany(company.id)).map((a) => [a.action, a.targetId])).toEqual([
      ["company.webhook-secret.add", String(id)],
      ["company.webhook-secret.deactivate", String(id)],
      ["company.webhook-secret.activate", String(id)],
    ]);
  });

  it("will not toggle another company's secret", async () => {
    const owner = await newCompany();
    const other = await newCompany();
    const { id } = await addWebhookSecret(db, {
      companyId: owner.id,
      input: { label: "mine", secret: "whsec_not_yours_5678" },
      actor: SYSTEM,
    });
    await expect(
      setWebhookSecretActive(db, { companyId: other.id, secretId: id, isActive: false, actor: SYSTEM }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await viewOf(owner.id)).webhookSecrets[0]?.isActive).toBe(true);
    expect(await auditForCompany(other.id)).toEqual([]);
  });

  it("validates input and the company", async () => {
    const company = await newCompany();
    await expect(
      addWebhookSecret(db, { companyId: company.id, input: { label: "short", secret: "1234567" }, actor: SYSTEM }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      addWebhookSecret(db, {
        companyId: 2_000_000_000,
        input: { label: "x", secret: "whsec_12345678" },
        actor: SYSTEM,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await viewOf(company.id)).webhookSecrets).toEqual([]);
  });
});
