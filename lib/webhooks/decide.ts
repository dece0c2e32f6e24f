import "server-only";
import { ACCEPTED_VERDICTS, type WebhookVerdict } from "@/drizzle/schema/webhooks";
import type { SecretSnapshot, TenantConfig } from "./secret-cache";
import { findSignatureHeader, isJsonContentType, matchSignature, NO_SECRET, signaturePrefix } from "./verify";

/**
 * The verdict on one request, from the cached secrets only (no database work): content type, tenant, signature
 * (constant time), JSON. Pure apart from the HMACs, so the receiver can re-run it after refreshing the cache.
 */

export type RawBody = { bytes: Buffer; totalBytes: number; isTruncated: boolean };

export type Verdict = {
  verdict: WebhookVerdict;
  detail: string;
  httpStatus: number;
  companyId: number | null;
  matchedSecretId: number | null;
  verification: Record<string, unknown>;
  json?: unknown;
};

const reject = (
  verdict: WebhookVerdict,
  httpStatus: number,
  detail: string,
  extra: Partial<Verdict> = {},
): Verdict => ({
  verdict,
  detail,
  httpStatus,
  companyId: null,
  matchedSecretId: null,
  verification: {},
  ...extra,
});

/** Stored as pending and processed: verified (or allowed unsigned), and unsigned MEETING_* kept as "unverified" (§8.5). */
export const isAccepted = (v: Verdict) => ACCEPTED_VERDICTS.includes(v.verdict) || v.verdict === "unverified";

/** Worth re-checking with fresh secrets: a signature that matched nothing, or a slug we do not know (yet). */
export const mayBeStale = (v: Verdict) => v.verdict === "signature_mismatch" || v.verdict === "unknown_tenant";

export function decide(
  snapshot: SecretSnapshot,
  headers: Headers,
  raw: RawBody,
  slug: string | undefined,
  cap: number,
): Verdict {
  const pinned = slug !== undefined ? snapshot.bySlug.get(slug) : undefined;
  const companyId = pinned?.companyId ?? null;
  if (raw.isTruncated)
    return reject(
      "payload_too_large",
      413,
      `Body of ${raw.totalBytes} bytes is above the ${cap}-byte cap; only a prefix is kept`,
      { companyId },
    );
  const contentType = headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    return reject(
      "unsupported_content_type",
      415,
      `Content-Type ${contentType ?? "(none)"} is not application/json (a non-JSON custom payload template form-encodes the body)`,
      { companyId },
    );
  }
  if (slug !== undefined && !pinned)
    return reject("unknown_tenant", 404, `No company has the slug "${slug}" in the webhook URL`);
  const header = findSignatureHeader(headers);
  if (!header)
    return reject(
      "missing_signature",
      401,
      "No X-Cal-Signature-256 header (nor a variant: cal-signature-256, x-cal-signature, cal-signature)",
      { companyId },
    );
  const base = { header: header.name, isHeaderVariant: header.name !== "x-cal-signature-256" };
  const verdict =
    header.value === NO_SECRET
      ? decideUnsigned(snapshot, pinned, base)
      : decideSigned(raw.bytes, header.value, pinned ? [pinned] : snapshot.all, pinned, base);
  if (!isAccepted(verdict)) return verdict;
  return parseBody(raw.bytes, verdict);
}

function decideUnsigned(
  snapshot: SecretSnapshot,
  pinned: TenantConfig | undefined,
  base: Record<string, unknown>,
): Verdict {
  const verification = { ...base, provided: NO_SECRET };
  if (pinned) {
    if (pinned.allowUnsigned)
      return {
        ...reject(
          "unsigned_allowed",
          200,
          "Unsigned (no-secret-provided) accepted: this company is configured without a secret",
          { verification },
        ),
        companyId: pinned.companyId,
      };
    return reject(
      "no_secret_provided",
      401,
      "The webhook in Cal.com has no secret (no-secret-provided) but this company is not configured to accept unsigned deliveries",
      { companyId: pinned.companyId, verification },
    );
  }
  const allowing = snapshot.unsignedCompanyIds;
  if (allowing.length === 1)
    return {
      ...reject(
        "unsigned_allowed",
        200,
        "Unsigned (no-secret-provided) accepted for the only company configured without a secret",
        { verification },
      ),
      companyId: allowing[0]!,
    };
  if (allowing.length > 1)
    return reject(
      "unknown_tenant",
      401,
      "Unsigned delivery on the shared URL, and several companies accept unsigned deliveries: use /api/webhooks/calcom/{companySlug}",
      { verification },
    );
  return reject(
    "no_secret_provided",
    401,
    "The webhook in Cal.com has no secret (no-secret-provided); set the same secret in Cal.com and in the company settings",
    { verification },
  );
}

function decideSigned(
  body: Buffer,
  provided: string,
  companies: TenantConfig[],
  pinned: TenantConfig | undefined,
  base: Record<string, unknown>,
): Verdict {
  const verification: Record<string, unknown> = {
    ...base,
    providedPrefix: signaturePrefix(provided),
    providedLength: provided.length,
  };
  let tried = 0;
  for (const company of companies) {
    const match = matchSignature(body, provided, company.candidates);
    tried += company.candidates.length;
    if (match.ok) {
      const { candidate } = match;
      const details = {
        ...verification,
        expectedPrefix: match.expectedPrefix,
        secretLabel: candidate.label,
        secretId: candidate.secretId,
        variant: match.variant,
        isCurrentSecret: candidate.isCurrent,
      };
      const variantNote = match.variant === "exact" ? "" : ` (variant: ${match.variant})`;
      const headerNote = base.isHeaderVariant ? ` via header ${String(base.header)}` : "";
      return candidate.isCurrent
        ? {
            verdict: "verified",
            detail: `Signature matches secret "${candidate.label}"${variantNote}${headerNote}`,
            httpStatus: 200,
            companyId: company.companyId,
            matchedSecretId: candidate.secretId,
            verification: details,
          }
        : {
            verdict: "verified_previous_secret",
            detail: `Signature matches the older secret "${candidate.label}", not the newest one: finish the rotation in Cal.com${variantNote}${headerNote}`,
            httpStatus: 200,
            companyId: company.companyId,
            matchedSecretId: candidate.secretId,
            verification: details,
          };
    }
    if (pinned) verification.expectedPrefix = match.expectedPrefix;
  }
  if (tried === 0)
    return reject(
      "signature_mismatch",
      401,
      pinned ? "This company has no active webhook secret to verify with" : "No company has an active webhook secret",
      { companyId: pinned?.companyId ?? null, verification: { ...verification, tried } },
    );
  const where = pinned
    ? `any of the company's ${tried} active secret(s)`
    : `any active secret of ${companies.length} companies (${tried} tried)`;
  return reject(
    "signature_mismatch",
    401,
    `Signature does not match ${where}, over the exact body or without a trailing newline`,
    { companyId: pinned?.companyId ?? null, verification: { ...verification, tried } },
  );
}

function parseBody(bytes: Buffer, verdict: Verdict): Verdict {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return {
      ...verdict,
      verdict: "invalid_json",
      httpStatus: 400,
      detail: `Signature ok, but the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (
    !json ||
    typeof json !== "object" ||
    Array.isArray(json) ||
    typeof (json as { triggerEvent?: unknown }).triggerEvent !== "string"
  ) {
    return {
      ...verdict,
      verdict: "invalid_json",
      httpStatus: 400,
      detail: "Signature ok, but the JSON has no triggerEvent: not a Cal.com webhook body",
    };
  }
  return { ...verdict, json };
}

const PUBLIC_MESSAGES: Partial<Record<WebhookVerdict, string>> = {
  missing_signature: "Missing X-Cal-Signature-256 header",
  no_secret_provided: "Unsigned deliveries are not accepted here",
  signature_mismatch: "Signature verification failed",
  invalid_json: "The body is not a Cal.com webhook JSON body",
  unsupported_content_type: "Content-Type must be application/json",
  payload_too_large: "The body is too large",
  unknown_tenant: "Use the company's webhook URL /api/webhooks/calcom/{companySlug}",
};

/**
 * What the sender is told about a rejection: a fixed sentence per verdict (the reasons stay in the log). On a pinned
 * URL an unknown slug answers exactly as a known slug whose signature fails, so the URL reveals no company names.
 */
export function publicRejection(
  v: Verdict,
  headers: Headers,
  isPinned: boolean,
): { status: number; verdict: WebhookVerdict; message: string } {
  let verdict = v.verdict;
  let status = v.httpStatus;
  if (isPinned && verdict === "unknown_tenant") {
    const header = findSignatureHeader(headers);
    verdict = !header ? "missing_signature" : header.value === NO_SECRET ? "no_secret_provided" : "signature_mismatch";
    status = 401;
  }
  return { status, verdict, message: PUBLIC_MESSAGES[verdict] ?? "Rejected" };
}
