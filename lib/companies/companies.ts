import "server-only";
import * as clock from "@/lib/time/clock";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { companies, companyWebhookSecrets, type Company } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { encryptSecret, maskSecret } from "@/lib/crypto/secret-box";
import type { Db, DbOrTx } from "@/lib/db/types";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors";
import { assertOutboundUrl } from "@/lib/net/outbound-fetch";
import { isValidTimeZone } from "@/lib/time/zoned";
import { apiVersionProblem } from "@/lib/calcom/versions";
import { resolveCalcomTarget, type CalcomTargetSource } from "./calcom-target";
import { checkApiKeyFormat, checkApiUrl, type Finding } from "./key-checks";

const API_FAMILIES = ["bookings", "slots", "eventTypes", "me", "teams", "schedules", "slotsLegacy"] as const;

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
  webhookSecrets: {
    id: number;
    label: string;
    masked: string;
    isActive: boolean;
    createdAt: Date;
    source: "stored" | "environment";
  }[];
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
  return rows.map((c) =>
    toView(
      c,
      secrets.filter((s) => s.companyId === c.id),
    ),
  );
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
      apiUrl: target.isSandbox || !target.isConfigured ? null : target.baseUrl,
      apiKeyMasked: target.apiKey ? maskSecret(target.apiKey) : null,
      teamId: target.teamId,
      teamSlug: target.teamSlug,
      organizationId: target.organizationId,
      apiVersions: c.calcomApiVersions,
    },
    webhookSecrets: [
      ...secrets.map((s) => ({
        id: s.id,
        label: s.label,
        masked: `••••${s.secretLast4}`,
        isActive: s.isActive,
        createdAt: s.createdAt,
        source: "stored" as const,
      })),
      ...(c.isDefault && envSecret
        ? [
            {
              id: 0,
              label: "CALCOM_WEBHOOK_SECRET",
              masked: `••••${envSecret.slice(-4)}`,
              isActive: true,
              createdAt: c.createdAt,
              source: "environment" as const,
            },
          ]
        : []),
    ],
  };
}

const optionalId = z.number().int().positive().nullable().optional();
const updateCompanySettingsSchema = z.object({
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
  calcomApiVersions: z
    .partialRecord(z.enum(API_FAMILIES), z.string().trim())
    .superRefine((versions, ctx) => {
      // Only the values each family is served with (contract §1, §8.8): a typo would reach Cal.com's legacy handlers.
      for (const [family, value] of Object.entries(versions)) {
        const problem = value === undefined ? null : apiVersionProblem(family as (typeof API_FAMILIES)[number], value);
        if (problem) ctx.addIssue({ code: "custom", path: [family], message: problem });
      }
    })
    .optional(),
});
export type UpdateCompanySettingsInput = z.infer<typeof updateCompanySettingsSchema>;

export async function updateCompanySettings(
  db: Db,
  opts: { companyId: number; input: UpdateCompanySettingsInput; actor: Actor },
): Promise<{ company: CompanyView; findings: Finding[] }> {
  const parsed = updateCompanySettingsSchema.safeParse(opts.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new AppError("BAD_REQUEST", issues.map((i) => i.message).join(" "), { issues });
  }
  const input = parsed.data;
  const isProduction = getEnv().NODE_ENV === "production";
  const findings = [
    ...(input.apiKey ? checkApiKeyFormat(input.apiKey, { isProduction }) : []),
    ...(input.calcomApiUrl ? checkApiUrl(input.calcomApiUrl) : []),
  ];
  const errors = findings.filter((f) => f.level === "error");
  if (errors.length) throw new AppError("BAD_REQUEST", errors.map((e) => e.message).join(" "), { findings });
  // The server calls this URL with the company's key: the outbound URL policy applies (https, public addresses).
  if (input.calcomApiUrl) await assertOutboundUrl(input.calcomApiUrl, "calcomApiUrl");

  return db.transaction(async (tx) => {
    const current = await getCompanyOrThrow(tx, opts.companyId);
    // Keys follow their host: a key stored for one origin is never sent to another. Moving the URL needs the key
    // again in the same request; without one the stored key is cleared.
    const isHostChange =
      input.calcomApiUrl !== undefined && apiOrigin(input.calcomApiUrl) !== apiOrigin(current.calcomApiUrl);
    const isKeyDropped = isHostChange && !input.apiKey && Boolean(current.calcomApiKeyEnc);
    if (isKeyDropped)
      findings.push({
        level: "warning",
        field: "apiKey",
        message: "The API URL moved to another host, so the stored key was cleared: enter the key for the new host.",
      });
    const keyChange = input.apiKey
      ? { calcomApiKeyEnc: encryptSecret(input.apiKey), calcomApiKeyLast4: input.apiKey.slice(-4) }
      : input.clearApiKey || isKeyDropped
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
        updatedAt: clock.now(),
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
      details: {
        ...auditable,
        apiKeyChanged: Boolean(input.apiKey),
        ...(isHostChange
          ? {
              hostChanged: { from: apiOrigin(current.calcomApiUrl), to: apiOrigin(input.calcomApiUrl ?? null) },
              apiKeyCleared: isKeyDropped,
            }
          : {}),
        warnings: findings.map((f) => f.message),
      },
    });
    const secrets = await tx
      .select()
      .from(companyWebhookSecrets)
      .where(eq(companyWebhookSecrets.companyId, opts.companyId));
    return { company: toView(row!, secrets), findings };
  });
}

/** The origin a stored key belongs to; "built-in" when calls go to the sandbox or the environment's URL. */
function apiOrigin(url: string | null): string {
  if (!url?.trim()) return "built-in";
  try {
    return new URL(url.trim()).origin;
  } catch {
    return url.trim();
  }
}

export const addWebhookSecretSchema = z.object({
  label: z.string().trim().min(1).max(50),
  secret: z.string().min(8, "Webhook secrets need at least 8 characters").max(500),
});

export async function addWebhookSecret(
  db: Db,
  opts: { companyId: number; input: z.infer<typeof addWebhookSecretSchema>; actor: Actor },
) {
  const input = addWebhookSecretSchema.parse(opts.input);
  return db.transaction(async (tx) => {
    await getCompanyOrThrow(tx, opts.companyId);
    const [row] = await tx
      .insert(companyWebhookSecrets)
      .values({
        companyId: opts.companyId,
        label: input.label,
        secretEnc: encryptSecret(input.secret),
        secretLast4: input.secret.slice(-4),
      })
      .returning({ id: companyWebhookSecrets.id });
    await writeAudit(tx, {
      actor: opts.actor,
      action: "company.webhook-secret.add",
      targetType: "webhook_secret",
      targetId: row?.id,
      companyId: opts.companyId,
      details: { label: input.label },
    });
    return { id: row!.id };
  });
}

export async function setWebhookSecretActive(
  db: Db,
  opts: { companyId: number; secretId: number; isActive: boolean; actor: Actor },
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(companyWebhookSecrets)
      .set({ isActive: opts.isActive })
      .where(
        sql`${companyWebhookSecrets.id} = ${opts.secretId} and ${companyWebhookSecrets.companyId} = ${opts.companyId}`,
      )
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
