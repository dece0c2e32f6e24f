import { createHmac, hash, timingSafeEqual } from "node:crypto";

/**
 * Signature checks for Cal.com deliveries (shared/calcom-v2.md §4.3): lowercase hex HMAC-SHA256 of the exact body,
 * header X-Cal-Signature-256, the literal "no-secret-provided" when the webhook has no secret. Pure functions, so the
 * receiver, the signature tester and the unit tests share them.
 */

export const NO_SECRET = "no-secret-provided";

/** The canonical name first; the others are variants the troubleshooting guide lists. */
const SIGNATURE_HEADERS = ["x-cal-signature-256", "cal-signature-256", "x-cal-signature", "cal-signature"] as const;

export type SecretCandidate = { secretId: number | null; label: string; secret: string; isCurrent: boolean };

export type SignatureMatch =
  | {
      ok: true;
      candidate: SecretCandidate;
      variant: "exact" | "trailing-newline-trimmed" | "sha256-prefix";
      expectedPrefix: string;
    }
  | { ok: false; expectedPrefix: string | null; tried: number };

export function hmacHex(secret: string, body: Uint8Array | string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** One shot, no Hash object: 1.8–2.0 µs for a 2.4 KB body against 3.1–3.2 µs through createHash (plain process). */
export function sha256Hex(body: Uint8Array | string): string {
  return hash("sha256", body, "hex");
}

/** Constant-time comparison of two hex strings (length is not secret: a HMAC-SHA256 hex is always 64). */
export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), "utf8");
  const right = Buffer.from(b.toLowerCase(), "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/** Finds the signature header: name and value, or null. Header names are case-insensitive (Headers lowercases). */
export function findSignatureHeader(headers: Headers): { name: string; value: string } | null {
  for (const name of SIGNATURE_HEADERS) {
    const value = headers.get(name);
    if (value !== null) return { name, value: value.trim() };
  }
  return null;
}

function trimTrailingNewlines(body: Buffer): Buffer {
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end--;
  return body.subarray(0, end);
}

/**
 * Tries every candidate secret over the exact bytes, then over the body without trailing CR/LF (a proxy or a
 * re-serialiser may add one). A "sha256=" prefix is tolerated and reported. Every comparison is constant time.
 */
export function matchSignature(body: Buffer, provided: string, candidates: SecretCandidate[]): SignatureMatch {
  const hasPrefix = provided.toLowerCase().startsWith("sha256=");
  const value = hasPrefix ? provided.slice(7) : provided;
  const trimmed = trimTrailingNewlines(body);
  const variants: { bytes: Buffer; variant: "exact" | "trailing-newline-trimmed" }[] = [
    { bytes: body, variant: "exact" },
  ];
  if (trimmed.length !== body.length) variants.push({ bytes: trimmed, variant: "trailing-newline-trimmed" });
  let firstExpected: string | null = null;
  for (const { bytes, variant } of variants) {
    for (const candidate of candidates) {
      const expected = hmacHex(candidate.secret, bytes);
      firstExpected ??= expected;
      if (safeEqualHex(expected, value)) {
        return {
          ok: true,
          candidate,
          variant: hasPrefix ? "sha256-prefix" : variant,
          expectedPrefix: signaturePrefix(expected),
        };
      }
    }
  }
  return { ok: false, expectedPrefix: firstExpected ? signaturePrefix(firstExpected) : null, tried: candidates.length };
}

/** What the log shows of a signature: enough to compare by eye, too little to be useful to anyone else. */
export function signaturePrefix(signature: string): string {
  return signature.length > 12 ? `${signature.slice(0, 12)}…` : signature;
}

const SECRET_LIKE = /secret|token|key|auth|cookie|password|signature|session|credential/i;

/** Headers as stored: secret-like values redacted, signatures reduced to a prefix. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if ((SIGNATURE_HEADERS as readonly string[]).includes(name))
      out[name] = value === NO_SECRET ? value : `${signaturePrefix(value)} (${value.length} chars)`;
    else if (SECRET_LIKE.test(name)) out[name] = "[redacted]";
    else out[name] = value.length > 500 ? `${value.slice(0, 500)}…` : value;
  });
  return out;
}

/** application/json (any charset) or a +json type; Cal.com form-encodes only non-JSON custom templates. */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}
