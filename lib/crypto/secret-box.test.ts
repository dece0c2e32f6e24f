import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { decryptSecret, encryptSecret, maskSecret } from "./secret-box";

const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("base64");

let saved: { key?: string; authSecret?: string };

function useKey(key: string): void {
  process.env.APP_ENCRYPTION_KEY = key;
  resetEnvCache();
}

/** Flip one bit of one base64url field of "v1:<iv>:<tag>:<ciphertext>". */
function tamper(sealed: string, field: 1 | 2 | 3): string {
  const parts = sealed.split(":");
  const bytes = Buffer.from(parts[field]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[field] = bytes.toString("base64url");
  return parts.join(":");
}

beforeEach(() => {
  saved = { key: process.env.APP_ENCRYPTION_KEY, authSecret: process.env.AUTH_SECRET };
  // AUTH_SECRET set too, so getEnv never falls back to writing demo secrets into .data/.
  process.env.AUTH_SECRET = "unit-test-auth-secret-unit-test-auth-secret";
  useKey(KEY_A);
});

afterEach(() => {
  for (const [name, value] of [
    ["APP_ENCRYPTION_KEY", saved.key],
    ["AUTH_SECRET", saved.authSecret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

describe("encryptSecret / decryptSecret", () => {
  it("round-trips text, including non-ASCII and the empty string", () => {
    for (const plain of ["cal_live_0123456789abcdef", "whsec_ÄÖÜ ß €", ""]) {
      const sealed = encryptSecret(plain);
      expect(sealed).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]*$/);
      expect(decryptSecret(sealed)).toBe(plain);
    }
    expect(encryptSecret("cal_live_0123456789abcdef")).not.toContain("cal_live");
  });

  it("uses a fresh IV: two encryptions of one value differ but both decrypt", () => {
    const a = encryptSecret("cal_live_same_value");
    const b = encryptSecret("cal_live_same_value");
    expect(a).not.toBe(b);
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
    expect(decryptSecret(a)).toBe("cal_live_same_value");
    expect(decryptSecret(b)).toBe("cal_live_same_value");
  });

  it("rejects a tampered ciphertext, tag or IV", () => {
    const sealed = encryptSecret("cal_live_tamper_me");
    expect(() => decryptSecret(tamper(sealed, 3))).toThrow("Unsupported state or unable to authenticate data");
    expect(() => decryptSecret(tamper(sealed, 2))).toThrow("Unsupported state or unable to authenticate data");
    expect(() => decryptSecret(tamper(sealed, 1))).toThrow("Unsupported state or unable to authenticate data");
  });

  it("rejects values that are not in the v1 format", () => {
    const sealed = encryptSecret("x");
    expect(() => decryptSecret(sealed.replace(/^v1:/, "v2:"))).toThrow("Unrecognised encrypted value");
    expect(() => decryptSecret("cal_live_plaintext")).toThrow("Unrecognised encrypted value");
    expect(() => decryptSecret("v1::tag:data")).toThrow("Unrecognised encrypted value");
  });

  it("cannot be decrypted with a different APP_ENCRYPTION_KEY", () => {
    const sealed = encryptSecret("cal_live_key_bound");
    useKey(KEY_B);
    expect(() => decryptSecret(sealed)).toThrow("Unsupported state or unable to authenticate data");
    useKey(KEY_A);
    expect(decryptSecret(sealed)).toBe("cal_live_key_bound");
  });
});

describe("maskSecret", () => {
  it("shows only the last 4 characters", () => {
    const masked = maskSecret("cal_live_0123456789abcdef");
    expect(masked).toBe("••••cdef");
    expect(masked).not.toContain("cal_live");
  });

  it("returns null for nothing and does not pad short values", () => {
    expect(maskSecret(null)).toBeNull();
    expect(maskSecret(undefined)).toBeNull();
    expect(maskSecret("")).toBeNull();
    expect(maskSecret("abc")).toBe("••••abc");
  });
});
