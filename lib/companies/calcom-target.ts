import "server-only";
import type { Company } from "@/drizzle/schema/core";
import { isSandboxServed } from "@/lib/calcom-sandbox/enabled";
import { getEnv } from "@/lib/config/env";
import { decryptSecret } from "@/lib/crypto/secret-box";

export type CalcomTargetSource = "company" | "environment" | "sandbox" | "unconfigured";
/** Where one company's Cal.com calls go, and with which credentials. */
export type CalcomTarget = {
  baseUrl: string;
  apiKey: string | null;
  teamId: number | null;
  teamSlug: string | null;
  organizationId: number | null;
  isSandbox: boolean;
  /** False when the company has no Cal.com URL and no sandbox is available: every call fails with CALCOM_NOT_CONFIGURED. */
  isConfigured: boolean;
  source: CalcomTargetSource;
};

export const REAL_CALCOM_URL = "https://api.cal.com";

/** Accepts "https://api.cal.com", "https://api.cal.com/v2" or ".../v2/": the client appends /v2/... itself. */
function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, "").replace(/\/v2$/, "");
}

export function getSandboxBaseUrl(): string {
  return normaliseBaseUrl(getEnv().CALCOM_SANDBOX_URL ?? `http://127.0.0.1:${getEnv().PORT}/api/calcom-sandbox`);
}

export function resolveCalcomTarget(company: Company): CalcomTarget {
  const env = getEnv();
  const companyKey = company.calcomApiKeyEnc ? decryptSecret(company.calcomApiKeyEnc) : null;
  const base = {
    teamId: company.calcomTeamId,
    teamSlug: company.calcomTeamSlug,
    organizationId: company.calcomOrganizationId,
  };
  if (company.calcomApiUrl) {
    return {
      ...base,
      baseUrl: normaliseBaseUrl(company.calcomApiUrl),
      apiKey: companyKey,
      isSandbox: false,
      isConfigured: true,
      source: "company",
    };
  }
  // The integration guide's quick start: the default company takes its Cal.com settings from the environment.
  if (company.isDefault && (env.CALCOM_V2_API_URL || env.DEFAULT_CALCOM_API_KEY)) {
    return {
      baseUrl: normaliseBaseUrl(env.CALCOM_V2_API_URL ?? REAL_CALCOM_URL),
      apiKey: env.DEFAULT_CALCOM_API_KEY ?? companyKey,
      teamId: env.DEFAULT_CALCOM_TEAM_ID ?? base.teamId,
      teamSlug: env.DEFAULT_CALCOM_TEAM_SLUG ?? base.teamSlug,
      organizationId: base.organizationId,
      isSandbox: false,
      isConfigured: true,
      source: "environment",
    };
  }
  // The sandbox only when it exists: served here (demo mode, or CALCOM_SANDBOX_ENABLED) or run elsewhere
  // (CALCOM_SANDBOX_URL). A deployment never falls back to it silently.
  if (isSandboxServed() || process.env.CALCOM_SANDBOX_URL) {
    return {
      ...base,
      baseUrl: getSandboxBaseUrl(),
      apiKey: companyKey,
      isSandbox: true,
      isConfigured: true,
      source: "sandbox",
    };
  }
  return { ...base, baseUrl: "", apiKey: companyKey, isSandbox: false, isConfigured: false, source: "unconfigured" };
}
