import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, companies } from "@/drizzle/schema/core";
import type { Actor } from "@/lib/auth/roles";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { updateCompanySettings } from "./companies";

// Keys follow their host: a key stored for one Cal.com origin is never sent to another one.
const ADMIN: Actor = { kind: "system", label: "key-host.int.test", role: "admin" };
const OLD_KEY = "cal_live_old_host_key_000000001";
let db: Db;

beforeAll(async () => {
  db = await getTestDb();
});
afterAll(async () => {
  await closeDb();
});

async function companyWithKey(url: string | null) {
  const slug = `kh-${randomUUID()}`;
  const [row] = await db
    .insert(companies)
    .values({
      name: slug,
      slug,
      calcomApiUrl: url,
      calcomApiKeyEnc: encryptSecret(OLD_KEY),
      calcomApiKeyLast4: OLD_KEY.slice(-4),
    })
    .returning();
  return row!;
}

async function stored(id: number) {
  const [row] = await db.select().from(companies).where(eq(companies.id, id));
  return {
    url: row!.calcomApiUrl,
    key: row!.calcomApiKeyEnc ? decryptSecret(row!.calcomApiKeyEnc) : null,
    last4: row!.calcomApiKeyLast4,
  };
}

async function lastAudit(companyId: number) {
  const rows = await db.select().from(auditLog).where(eq(auditLog.companyId, companyId)).orderBy(asc(auditLog.id));
  return rows.at(-1)!;
}

describe("changing a company's Cal.com URL", () => {
  it("to another origin without a key clears the stored key, warns, and audits it", async () => {
    const c = await companyWithKey("https://cal-a.example.com/v2");
    const { findings, company } = await updateCompanySettings(db, {
      companyId: c.id,
      input: { calcomApiUrl: "https://cal-b.example.com/v2" },
      actor: ADMIN,
    });
    expect(await stored(c.id)).toEqual({ url: "https://cal-b.example.com/v2", key: null, last4: null });
    expect(company.calcom.apiKeyMasked).toBeNull();
    expect(findings).toContainEqual({
      level: "warning",
      field: "apiKey",
      message: "The API URL moved to another host, so the stored key was cleared: enter the key for the new host.",
    });
    const audit = await lastAudit(c.id);
    expect(audit.action).toBe("company.settings.update");
    expect(audit.details).toMatchObject({
      hostChanged: { from: "https://cal-a.example.com", to: "https://cal-b.example.com" },
      apiKeyCleared: true,
      apiKeyChanged: false,
    });
  });

  it("to another origin with the key in the same request stores that key, audited as a host change", async () => {
    const c = await companyWithKey("https://cal-a.example.com/v2");
    const newKey = "cal_live_new_host_key_000000002";
    await updateCompanySettings(db, {
      companyId: c.id,
      input: { calcomApiUrl: "https://cal-b.example.com/v2", apiKey: newKey },
      actor: ADMIN,
    });
    expect(await stored(c.id)).toEqual({ url: "https://cal-b.example.com/v2", key: newKey, last4: "0002" });
    const audit = await lastAudit(c.id);
    expect(audit.details).toMatchObject({
      hostChanged: { from: "https://cal-a.example.com", to: "https://cal-b.example.com" },
      apiKeyCleared: false,
      apiKeyChanged: true,
    });
    expect(JSON.stringify(audit.details)).not.toContain(newKey);
  });

  it("from the built-in target (no URL) to an external host counts as a host change too", async () => {
    const c = await companyWithKey(null);
    await updateCompanySettings(db, {
      companyId: c.id,
      input: { calcomApiUrl: "https://cal-a.example.com/v2" },
      actor: ADMIN,
    });
    expect((await stored(c.id)).key).toBeNull();
    expect((await lastAudit(c.id)).details).toMatchObject({
      hostChanged: { from: "built-in", to: "https://cal-a.example.com" },
      apiKeyCleared: true,
    });
  });

  it("within the same origin (another path, a trailing slash) keeps the key", async () => {
    const c = await companyWithKey("https://cal-a.example.com/v2");
    await updateCompanySettings(db, {
      companyId: c.id,
      input: { calcomApiUrl: "https://cal-a.example.com/v2/" },
      actor: ADMIN,
    });
    expect(await stored(c.id)).toEqual({
      url: "https://cal-a.example.com/v2/",
      key: OLD_KEY,
      last4: OLD_KEY.slice(-4),
    });
    expect((await lastAudit(c.id)).details).not.toHaveProperty("hostChanged");
  });

  it("saving other settings without touching the URL keeps the key", async () => {
    const c = await companyWithKey("https://cal-a.example.com/v2");
    await updateCompanySettings(db, { companyId: c.id, input: { name: "Renamed" }, actor: ADMIN });
    expect((await stored(c.id)).key).toBe(OLD_KEY);
  });
});
