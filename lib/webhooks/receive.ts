import "server-only";
import { plural } from "@/lib/time/format";
import { getEnv } from "@/lib/config/env";
import { eq } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { ACCEPTED_VERDICTS, webhookDeliveries, webhookSettings, type WebhookVerdict } from "@/drizzle/schema/webhooks";
import type { Db } from "@/lib/db/types";
import { sendJob } from "@/lib/jobs/queue";
import { processDeliveryJob } from "./jobs";
import { dedupeKey, extractMeta } from "./payload";
import { loadSecretCandidates, getWebhookSettings, type CompanyCandidates } from "./settings";
import { findSignatureHeader, isJsonContentType, matchSignature, NO_SECRET, redactHeaders, sha256Hex, signaturePrefix } from "./verify";

/**
 * The receiver: read the raw body with a cap, decide a verdict, store the delivery (rejected ones too), answer, and
 * only then hand accepted deliveries to the job queue. Answering 2xx after the row is committed means an accepted
 * delivery can never be lost; a failed enqueue is caught up by the sweep job.
 */

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const STORED_PREFIX_BYTES = 4096;

export function maxBodyBytes(): number {
  return getEnv().WEBHOOK_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES;
}

type RawBody = { bytes: Buffer; totalBytes: number; isTruncated: boolean };

/** Streams the body and stops reading past the cap, so an oversize request never sits in memory whole. */
export async function readCappedBody(req: Request, cap: number): Promise<RawBody> {
  if (!req.body) return { bytes: Buffer.alloc(0), totalBytes: 0, isTruncated: false };
  const declared = Number(req.headers.get("content-length"));
  const reader = req.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      const bytes = Buffer.concat([...chunks, Buffer.from(value)]).subarray(0, STORED_PREFIX_BYTES);
      return { bytes, totalBytes: Number.isFinite(declared) && declared > total ? declared : total, isTruncated: true };
    }
    chunks.push(Buffer.from(value));
  }
  return { bytes: Buffer.concat(chunks), totalBytes: total, isTruncated: false };
}

type Verdict = {
  verdict: WebhookVerdict;
  detail: string;
  httpStatus: number;
  companyId: number | null;
  matchedSecretId: number | null;
  verification: Record<string, unknown>;
  json?: unknown;
};

const reject = (verdict: WebhookVerdict, httpStatus: number, detail: string, extra: Partial<Verdict> = {}): Verdict => ({
  verdict,
  detail,
  httpStatus,
  companyId: null,
  matchedSecretId: null,
  verification: {},
  ...extra,
});

async function decide(db: Db, req: Request, raw: RawBody, slug: string | undefined): Promise<Verdict> {
  const cap = maxBodyBytes();
  let pinned: { id: number; slug: string } | undefined;
  if (slug !== undefined) [pinned] = await db.select({ id: companies.id, slug: companies.slug }).from(companies).where(eq(companies.slug, slug));
  const companyId = pinned?.id ?? null;
  if (raw.isTruncated) return reject("payload_too_large", 413, `Body of ${raw.totalBytes} bytes is above the ${cap}-byte cap; only a prefix is kept`, { companyId });
  const contentType = req.headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    return reject("unsupported_content_type", 415, `Content-Type ${contentType ?? "(none)"} is not application/json (a non-JSON custom payload template form-encodes the body)`, { companyId });
  }
  if (slug !== undefined && !pinned) return reject("unknown_tenant", 404, `No company has the slug "${slug}" in the webhook URL`);
  const header = findSignatureHeader(req.headers);
  if (!header) return reject("missing_signature", 401, "No X-Cal-Signature-256 header (nor a variant: cal-signature-256, x-cal-signature, cal-signature)", { companyId });
  const base = { header: header.name, isHeaderVariant: header.name !== "x-cal-signature-256" };
  const all = await loadSecretCandidates(db, pinned ? [pinned.id] : undefined);
  const verdict = header.value === NO_SECRET ? await decideUnsigned(db, all, pinned, base) : decideSigned(raw.bytes, header.value, all, pinned, base);
  if (!ACCEPTED_VERDICTS.includes(verdict.verdict)) return verdict;
  return parseBody(raw.bytes, verdict);
}

async function decideUnsigned(db: Db, all: CompanyCandidates[], pinned: { id: number } | undefined, base: Record<string, unknown>): Promise<Verdict> {
  const verification = { ...base, provided: NO_SECRET };
  if (pinned) {
    const settings = await getWebhookSettings(db, pinned.id);
    if (settings.allowUnsigned) return { ...reject("unsigned_allowed", 200, "Unsigned (no-secret-provided) accepted: this company is configured without a secret", { verification }), companyId: pinned.id };
    return reject("no_secret_provided", 401, "The webhook in Cal.com has no secret (no-secret-provided) but this company is not configured to accept unsigned deliveries", { companyId: pinned.id, verification });
  }
  const allowing = await db.select({ companyId: webhookSettings.companyId }).from(webhookSettings).where(eq(webhookSettings.allowUnsigned, true));
  if (allowing.length === 1) return { ...reject("unsigned_allowed", 200, "Unsigned (no-secret-provided) accepted for the only company configured without a secret", { verification }), companyId: allowing[0]!.companyId };
  if (allowing.length > 1) return reject("unknown_tenant", 401, "Unsigned delivery on the shared URL, and several companies accept unsigned deliveries: use /api/webhooks/calcom/{companySlug}", { verification });
  void all;
  return reject("no_secret_provided", 401, "The webhook in Cal.com has no secret (no-secret-provided); set the same secret in Cal.com and in the company settings", { verification });
}

function decideSigned(body: Buffer, provided: string, all: CompanyCandidates[], pinned: { id: number } | undefined, base: Record<string, unknown>): Verdict {
  const verification: Record<string, unknown> = { ...base, providedPrefix: signaturePrefix(provided), providedLength: provided.length };
  let tried = 0;
  for (const company of all) {
    const match = matchSignature(body, provided, company.candidates);
    tried += company.candidates.length;
    if (match.ok) {
      const { candidate } = match;
      const details = { ...verification, expectedPrefix: match.expectedPrefix, secretLabel: candidate.label, secretId: candidate.secretId, variant: match.variant, isCurrentSecret: candidate.isCurrent };
      const variantNote = match.variant === "exact" ? "" : ` (variant: ${match.variant})`;
      const headerNote = base.isHeaderVariant ? ` via header ${String(base.header)}` : "";
      return candidate.isCurrent
        ? { verdict: "verified", detail: `Signature matches secret "${candidate.label}"${variantNote}${headerNote}`, httpStatus: 200, companyId: company.companyId, matchedSecretId: candidate.secretId, verification: details }
        : { verdict: "verified_previous_secret", detail: `Signature matches the older secret "${candidate.label}", not the newest one: finish the rotation in Cal.com${variantNote}${headerNote}`, httpStatus: 200, companyId: company.companyId, matchedSecretId: candidate.secretId, verification: details };
    }
    if (pinned) verification.expectedPrefix = match.expectedPrefix;
  }
  if (tried === 0) return reject("signature_mismatch", 401, pinned ? "This company has no active webhook secret to verify with" : "No company has an active webhook secret", { companyId: pinned?.id ?? null, verification: { ...verification, tried } });
  const where = pinned ? `any of the company's ${plural(tried, "active secret")}` : `any active secret of ${plural(all.length, "company", "companies")} (${tried} tried)`;
  return reject("signature_mismatch", 401, `Signature does not match ${where}, over the exact body or without a trailing newline`, { companyId: pinned?.id ?? null, verification: { ...verification, tried } });
}

function parseBody(bytes: Buffer, verdict: Verdict): Verdict {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return { ...verdict, verdict: "invalid_json", httpStatus: 400, detail: `Signature ok, but the body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!json || typeof json !== "object" || Array.isArray(json) || typeof (json as { triggerEvent?: unknown }).triggerEvent !== "string") {
    return { ...verdict, verdict: "invalid_json", httpStatus: 400, detail: "Signature ok, but the JSON has no triggerEvent: not a Cal.com webhook body" };
  }
  return { ...verdict, json };
}

function bestEffortJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
}

/** Postgres text cannot hold NUL; anything else is stored as received. */
const storableText = (bytes: Buffer) => bytes.toString("utf8").replace(/\u0000/g, "\uFFFD");

export async function receiveWebhook(db: Db, req: Request, opts: { companySlug?: string } = {}): Promise<Response> {
  const receivedAt = new Date();
  const raw = await readCappedBody(req, maxBodyBytes());
  const v = await decide(db, req, raw, opts.companySlug);
  const isAccepted = ACCEPTED_VERDICTS.includes(v.verdict);
  const meta = extractMeta(v.json ?? (raw.isTruncated ? null : bestEffortJson(raw.bytes)));
  const bodySha256 = raw.isTruncated ? null : sha256Hex(raw.bytes);
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      receivedAt,
      companyId: v.companyId,
      routeSlug: opts.companySlug ?? null,
      contentType: req.headers.get("content-type"),
      headers: redactHeaders(req.headers),
      body: storableText(raw.bytes),
      bodyBytes: raw.totalBytes,
      bodyTruncated: raw.isTruncated,
      bodySha256,
      verdict: v.verdict,
      verdictDetail: v.detail,
      verification: v.verification,
      matchedSecretId: v.matchedSecretId,
      responseStatus: v.httpStatus,
      triggerEvent: meta.triggerEvent,
      bookingUid: meta.bookingUid,
      bookingId: meta.bookingId,
      payloadCreatedAt: meta.createdAt,
      dedupeKey: isAccepted && bodySha256 ? dedupeKey({ companyId: v.companyId, meta, bodySha256 }) : null,
      status: isAccepted ? "pending" : "rejected",
      outcome: isAccepted ? null : `Rejected: ${v.detail}`,
    })
    .returning({ id: webhookDeliveries.id });
  const id = row!.id;
  if (isAccepted) await enqueueDelivery(id);
  const body = isAccepted ? { ok: true, id, status: "pending" } : { ok: false, id, verdict: v.verdict, message: v.detail };
  return Response.json(body, { status: v.httpStatus });
}

/** Enqueue processing; a failure here only delays it (the sweep job re-enqueues pending deliveries). */
export async function enqueueDelivery(deliveryId: number): Promise<void> {
  try {
    await sendJob(processDeliveryJob, { deliveryId });
  } catch (error) {
    console.error(`[webhooks] delivery ${deliveryId} stored but not enqueued (the sweep will retry):`, error instanceof Error ? error.message : error);
  }
}
