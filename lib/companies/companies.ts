import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { companies, companyWebhookSecrets, type Company } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { encryptSecret, maskSecret } from "@/lib/crypto/secret-box";
import type { Db, DbOrTx } from "@/lib/db/types";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors";
import { isValidTimeZone } from "@/lib/time/zoned";
import { resolveCalcomTarget, type CalcomTargetSource } from "./calcom-target";
import { checkApiKeyFormat, checkApiUrl, type Finding } from "./key-checks";

export const API_FAMILIES = ["bookings", "slots", "eventTypes", "me", "teams", "schedules"] as const;

/** What the browser may see of a company: no key, no secret, only their last 4 characters. */
export type CompanyView = {
  id: number;
  name: string;
  slug: string;
  timeZone: string;
  isDefault: boolean;
  calcom: {
    source: CalcomTargetSource;
    isSandbox: boolean;
    apiUrl: string | null;
    apiKeyMasked: string | null;
    teamId: number | null;
    teamSlug: string | null;
    organizationId: number | null;
    apiVersions: Record<string, string>;
  };
  /** Stored secrets, plus CALCOM_WEBHOOK_SECRET for the default company (source "environment", id 0, not editable here). */
  webhookSecrets: { id: number; label: string; masked: string; isActive: boolean; createdAt: Date; source: "stored" | "environment" }[];
};

export async function listCompanyRows(db: DbOrTx): Promise<Company[]> {
  return db.select().from(companies).orderBy(asc(companies.id));
}

export async function getCompanyOrThrow(db: DbOrTx, companyId: number): Promise<Company> {
  const [row] = await db.select().from(companies).where(eq(companies.id, companyId));
  if (!row) throw new AppError("NOT_FOUND", `Company ${companyId} not found`);
  return row;
}

export async function listCompanies(db: Db): Promise<CompanyView[]> {
  const [rows, secrets] = await Promise.all([
    listCompanyRows(db),
    db.select().from(companyWebhookSecrets).orderBy(asc(companyWebhookSecrets.id)),
  ]);
  return rows.map((c) => toView(c, secrets.filter((s) => s.companyId === c.id)));
}

function toView(c: Company, secrets: (typeof companyWebhookSecrets.$inferSelect)[]): CompanyView {
  const target = resolveCalcomTarget(c);
  const envSecret = getEnv().CALCOM_WEBHOOK_SECRET;
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    timeZone: c.timeZone,
    isDefault: c.isDefault,
    calcom: {
      source: target.source,
      isSandbox: target.isSandbox,
      apiUrl: target.isSandbox ? null : target.baseUrl,
      apiKeyMasked: target.apiKey ? maskSecret(target.apiKey) : null,
      teamId: target.teamId,
      teamSlug: target.teamSlug,
      organizationId: target.organizationId,
      apiVersions: c.calcomApiVersions,
    },
    webhookSecrets: [
      ...secrets.map((s) => ({ id: s.id, label: s.label, masked: `••••${s.secretLast4}`, isActive: s.isActive, createdAt: s.createdAt, source: "stored" as const })),
      ...(c.isDefault && envSecret
        ? [{ id: 0, label: "CALCOM_WEBHOOK_SECRET", masked: `••••${envSecret.slice(-4)}`, isActive: true, createdAt: c.createdAt, source: "environment" as const }]
        : []),
    ],
  };
}

const optionalId = z.number().int().positive().nullable().optional();
export const updateCompanySettingsSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: z.string().refine(isValidTimeZone, "Unknown IANA time zone (e.g. Europe/Berlin)").optional(),
  /** null = use the built-in sandbox (or the environment for the default company). */
  calcomApiUrl: z.string().trim().max(300).nullable().optional(),
  /** Write-only: a new key replaces the stored one; omit to keep it. */
  apiKey: z.string().trim().min(1).max(300).optional(),
  clearApiKey: z.boolean().optional(),
  calcomTeamId: optionalId,
  calcomTeamSlug: z.string().trim().max(100).nullable().optional(),
  calcomOrganizationId: optionalId,
  calcomApiVersions: z.partialRecord(z.enum(API_FAMILIES), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date such as 2024-08-13")).optional(),
});
export type UpdateCompanySettingsInput = z.infer<typeof updateCompanySettingsSchema>;

export async function updateCompanySettings(
  db: Db,
  opts: { companyId: number; input: UpdateCompanySettingsInput; actor: Actor },
): Promise<{ company: CompanyView; findings: Finding[] }> {
  const input = updateCompanySettingsSchema.parse(opts.input);
  const isProduction = process.env.NODE_ENV === "production";
  const findings = [
    ...(input.apiKey ? checkApiKeyFormat(input.apiKey, { isProduction }) : []),
    ...(input.calcomApiUrl ? checkApiUrl(input.calcomApiUrl) : []),
  ];
  const errors = findings.filter((f) => f.level === "error");
  if (errors.length) throw new AppError("BAD_REQUEST", errors.map((e) => e.message).join(" "), { findings });

  return db.transaction(async (tx) => {
    await getCompanyOrThrow(tx, opts.companyId);
    const keyChange = input.apiKey
      ? { calcomApiKeyEnc: encryptSecret(input.apiKey), calcomApiKeyLast4: input.apiKey.slice(-4) }
      : input.clearApiKey
        ? { calcomApiKeyEnc: null, calcomApiKeyLast4: null }
        : {};
    const [row] = await tx
      .update(companies)
      .set({
        name: input.name,
        timeZone: input.timeZone,
        calcomApiUrl: input.calcomApiUrl === undefined ? undefined : input.calcomApiUrl || null,
        calcomTeamId: input.calcomTeamId,
        calcomTeamSlug: input.calcomTeamSlug === undefined ? undefined : input.calcomTeamSlug || null,
        calcomOrganizationId: input.calcomOrganizationId,
        calcomApiVersions: input.calcomApiVersions as Record<string, string> | undefined,
        ...keyChange,
        updatedAt: sql`now()`,
      })
      .where(eq(companies.id, opts.companyId))
      .returning();
    const { apiKey: _secret, ...auditable } = input;
    await writeAudit(tx, {
      actor: opts.actor,
      action: "company.settings.update",
      targetType: "company",
      targetId: opts.companyId,
      companyId: opts.companyId,
      details: { ...auditable, apiKeyChanged: Boolean(input.apiKey), warnings: findings.map((f) => f.message) },
    });
    const secrets = await tx.select().from(companyWebhookSecrets).where(eq(companyWebhookSecrets.companyId, opts.companyId));
    return { company: toView(row!, secrets), findings };
  });
}

export const addWebhookSecretSchema = z.object({
  label: z.string().trim().min(1).max(50),
  secret: z.string().min(8, "Webhook secrets need at least 8 characters").max(500),
});

export async function addWebhookSecret(db: Db, opts: { companyId: number; input: z.infer<typeof addWebhookSecretSchema>; actor: Actor }) {
  const input = addWebhookSecretSchema.parse(opts.input);
  return db.transaction(async (tx) => {
    await getCompanyOrThrow(tx, opts.companyId);
    const [row] = await tx
      .insert(companyWebhookSecrets)
      .values({ companyId: opts.companyId, label: input.label, secretEnc: encryptSecret(input.secret), secretLast4: input.secret.slice(-4) })
      .returning({ id: companyWebhookSecrets.id });
    await writeAudit(tx, { actor: opts.actor, action: "company.webhook-secret.add", targetType: "webhook_secret", targetId: row?.id, companyId: opts.companyId, details: { label: input.label } });
    return { id: row!.id };
  });
}

export async function setWebhookSecretActive(db: Db, opts: { companyId: number; secretId: number; isActive: boolean; actor: Actor }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(companyWebhookSecrets)
      .set({ isActive: opts.isActive })
      .where(sql`${companyWebhookSecrets.id} = ${opts.secretId} and ${companyWebhookSecrets.companyId} = ${opts.companyId}`)
      .returning({ id: companyWebhookSecrets.id });
    if (!row) throw new AppError("NOT_FOUND", "Webhook secret not found for this company");
    await writeAudit(tx, {
      actor: opts.actor,
      action: opts.isActive ? "company.webhook-secret.activate" : "company.webhook-secret.deactivate",
      targetType: "webhook_secret",
      targetId: opts.secretId,
      companyId: opts.companyId,
    });
  });
}
