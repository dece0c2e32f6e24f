import "server-only";
import * as clock from "@/lib/time/clock";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { clientAddress } from "@/lib/http/client-address";
import { insertDelivery, type DeliveryRow } from "./group-insert";
import { decide, isAccepted, mayBeStale, publicRejection, type RawBody, type Verdict } from "./decide";
import { dedupeKey, extractMeta } from "./payload";
import { admitRejected } from "./rate-limit";
import { webhookSecretCache } from "./secret-cache";
import { findUnverifiedMeeting } from "./unverified";
import { redactHeaders, sha256Hex } from "./verify";
import { ingestEnded, ingestStarted, notifyWebhookWorkers } from "./worker";

/**
 * The receiver, one database round trip for an accepted delivery: read the raw body with a cap, decide the verdict
 * against cached secrets, and INSERT the delivery. That row is also the queue entry (status pending): workers claim
 * it later (worker.ts), so nothing else happens on the request path and a 2xx always follows a commit.
 * Rejected deliveries are stored too (a 4 KiB prefix, the length and the SHA-256), up to a per-address limit.
 */

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const STORED_PREFIX_BYTES = 4096;

function maxBodyBytes(): number {
  return getEnv().WEBHOOK_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES;
}

/** Streams the body and stops reading past the cap, so an oversize request never sits in memory whole. */
async function readCappedBody(req: Request, cap: number): Promise<RawBody> {
  if (!req.body) return { bytes: Buffer.alloc(0), totalBytes: 0, isTruncated: false };
  const declared = Number(req.headers.get("content-length"));
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      const bytes = Buffer.concat([...chunks, value]).subarray(0, STORED_PREFIX_BYTES);
      return { bytes, totalBytes: Number.isFinite(declared) && declared > total ? declared : total, isTruncated: true };
    }
    chunks.push(value);
  }
  // The stream hands each chunk over (nobody writes to it again): one chunk is used as it is, several are joined once.
  const [only] = chunks;
  const bytes =
    chunks.length === 1 && only
      ? Buffer.from(only.buffer, only.byteOffset, only.byteLength)
      : Buffer.concat(chunks, total);
  return { bytes, totalBytes: total, isTruncated: false };
}

/** Postgres text cannot hold NUL; anything else is stored as received. */
const storableText = (bytes: Buffer) => bytes.toString("utf8").replace(/\u0000/g, "\uFFFD");

function bestEffortJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
}

async function verdictFor(
  db: Db,
  req: Request,
  raw: RawBody,
  slug: string | undefined,
  since: number,
): Promise<Verdict> {
  const cache = webhookSecretCache();
  const cap = maxBodyBytes();
  const v = decide(await cache.get(db), req.headers, raw, slug, cap);
  if (v.verdict === "missing_signature") {
    // Contract §8.5: an unsigned MEETING_* is kept as "unverified" (lib/webhooks/unverified.ts), not refused.
    const meeting = await findUnverifiedMeeting(db, raw.bytes, v.companyId);
    if (meeting)
      return {
        verdict: "unverified",
        detail: meeting.detail,
        httpStatus: 200,
        companyId: meeting.companyId,
        matchedSecretId: null,
        verification: { header: null },
        json: meeting.json,
      };
  }
  if (!mayBeStale(v)) return v;
  // A secret or company may have been added a moment ago on another instance: check the version before refusing.
  return decide(await cache.refresh(db, since), req.headers, raw, slug, cap);
}

/**
 * The route handlers' entry (POST /api/webhooks/calcom[/{companySlug}]). A delivery that could not be stored gets a
 * 503, so a retrying sender (Cal.com's tasker path) tries again; the log names the cause only, since a failed
 * query's message would carry the body (personal data).
 */
export async function handleWebhookPost(req: Request, slugSegment?: string): Promise<Response> {
  try {
    const companySlug = slugSegment === undefined ? undefined : decodeSlug(slugSegment);
    return await receiveWebhook(await getDb(), req, { companySlug });
  } catch (error) {
    const cause =
      error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message.split("\n")[0])
        : String(error);
    console.error(`[webhooks] could not store a delivery: ${cause}`);
    return Response.json({ ok: false, message: "The delivery could not be stored; try again" }, { status: 503 });
  }
}

/** The {companySlug} path segment as sent, decoded where it can be (a malformed one is then simply unknown). */
function decodeSlug(segment: string): string {
  try {
    return decodeURIComponent(segment).slice(0, 100);
  } catch {
    return segment.slice(0, 100);
  }
}

export async function receiveWebhook(db: Db, req: Request, opts: { companySlug?: string } = {}): Promise<Response> {
  ingestStarted();
  try {
    return await receive(db, req, opts);
  } finally {
    ingestEnded();
  }
}

async function receive(db: Db, req: Request, opts: { companySlug?: string }): Promise<Response> {
  const receivedAt = clock.now();
  const raw = await readCappedBody(req, maxBodyBytes());
  const v = await verdictFor(db, req, raw, opts.companySlug, receivedAt.getTime());
  if (isAccepted(v)) {
    const id = await storeDelivery(db, req, raw, v, { receivedAt, slug: opts.companySlug });
    notifyWebhookWorkers();
    return Response.json({ ok: true, id, status: "pending" }, { status: v.httpStatus });
  }
  const answer = publicRejection(v, req.headers, opts.companySlug !== undefined);
  if (!(await admitRejected(db, clientAddress(req.headers), { now: receivedAt }))) {
    return Response.json(
      { ok: false, message: "Too many rejected deliveries from this address; try again in a minute" },
      { status: 429, headers: { "retry-after": "60" } },
    );
  }
  const id = await storeDelivery(db, req, raw, v, { receivedAt, slug: opts.companySlug });
  // The row id goes in a header, the same for every rejection: the body must not tell an unknown slug from a bad signature.
  return Response.json(
    { ok: false, verdict: answer.verdict, message: answer.message },
    { status: answer.status, headers: { "x-webhook-delivery-id": String(id) } },
  );
}

async function storeDelivery(
  db: Db,
  req: Request,
  raw: RawBody,
  v: Verdict,
  at: { receivedAt: Date; slug?: string },
): Promise<number> {
  const accepted = isAccepted(v);
  const meta = extractMeta(v.json ?? (raw.isTruncated ? null : bestEffortJson(raw.bytes)));
  // The whole body's hash when it was read whole; a 413 stopped reading at the cap, so it has none.
  const bodySha256 = raw.isTruncated ? null : sha256Hex(raw.bytes);
  // Accepted: the body as received. Rejected: at most the first 4 KiB (plus its length and hash above).
  const stored = accepted ? raw.bytes : raw.bytes.subarray(0, STORED_PREFIX_BYTES);
  const row: DeliveryRow = {
    receivedAt: at.receivedAt,
    companyId: v.companyId,
    routeSlug: at.slug ?? null,
    contentType: req.headers.get("content-type"),
    headers: redactHeaders(req.headers),
    body: storableText(stored),
    bodyBytes: raw.totalBytes,
    bodyTruncated: raw.isTruncated || stored.length < raw.totalBytes,
    bodySha256,
    verdict: v.verdict,
    verdictDetail: v.detail,
    verification: v.verification,
    matchedSecretId: v.matchedSecretId,
    responseStatus: accepted ? v.httpStatus : publicRejection(v, req.headers, at.slug !== undefined).status,
    triggerEvent: meta.triggerEvent,
    bookingUid: meta.bookingUid,
    bookingId: meta.bookingId,
    payloadCreatedAt: meta.createdAt,
    dedupeKey: accepted && bodySha256 ? dedupeKey({ companyId: v.companyId, meta, bodySha256 }) : null,
    status: accepted ? "pending" : "rejected",
    outcome: accepted ? null : `Rejected: ${v.detail}`,
  };
  return insertDelivery(db, row);
}
