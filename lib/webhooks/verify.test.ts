import { describe, expect, it } from "vitest";
import {
  findSignatureHeader,
  hmacHex,
  isJsonContentType,
  matchSignature,
  redactHeaders,
  safeEqualHex,
  type SecretCandidate,
} from "./verify";

const current: SecretCandidate = { secretId: 2, label: "current", secret: "new-secret", isCurrent: true };
const previous: SecretCandidate = { secretId: 1, label: "old", secret: "old-secret", isCurrent: false };

describe("matchSignature", () => {
  const body = Buffer.from('{"triggerEvent":"PING"}');
  it("matches the exact bytes with any active secret and says which", () => {
    const r = matchSignature(body, hmacHex("old-secret", body), [current, previous]);
    expect(r).toMatchObject({ ok: true, variant: "exact", candidate: { label: "old" } });
  });
  it("accepts a body with a trailing newline signed without it, and a sha256= prefix", () => {
    const withNewline = Buffer.from(`${body.toString()}\r\n`);
    expect(matchSignature(withNewline, hmacHex("new-secret", body), [current])).toMatchObject({
      ok: true,
      variant: "trailing-newline-trimmed",
    });
    expect(matchSignature(body, `sha256=${hmacHex("new-secret", body)}`, [current])).toMatchObject({
      ok: true,
      variant: "sha256-prefix",
    });
  });
  it("rejects a tampered body and reports the expected prefix", () => {
    const r = matchSignature(Buffer.from('{"triggerEvent":"PONG"}'), hmacHex("new-secret", body), [current]);
    expect(r).toMatchObject({ ok: false, tried: 1, expectedPrefix: expect.stringMatching(/^[0-9a-f]{12}…$/) });
  });
});

describe("helpers", () => {
  it("compares hex in constant time, case-insensitively, refusing different lengths", () => {
    expect(safeEqualHex("abcd", "ABCD")).toBe(true);
    expect(safeEqualHex("abcd", "abc")).toBe(false);
  });
  it("finds the canonical header first, then the variants", () => {
    expect(findSignatureHeader(new Headers({ "Cal-Signature": "x" }))).toEqual({ name: "cal-signature", value: "x" });
    expect(findSignatureHeader(new Headers({ "X-Cal-Signature-256": "a", "cal-signature": "b" }))?.name).toBe(
      "x-cal-signature-256",
    );
    expect(findSignatureHeader(new Headers())).toBeNull();
  });
  it("redacts secret-like headers and shortens signatures", () => {
    const out = redactHeaders(
      new Headers({
        authorization: "Bearer t",
        "x-cal-signature-256": "f".repeat(64),
        "x-api-key": "k",
        "user-agent": "node",
      }),
    );
    expect(out).toEqual({
      authorization: "[redacted]",
      "x-cal-signature-256": `${"f".repeat(12)}… (64 chars)`,
      "x-api-key": "[redacted]",
      "user-agent": "node",
    });
  });
  it("knows JSON content types", () => {
    expect(isJsonContentType("application/json; charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/x-www-form-urlencoded")).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
  });
});
