import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, getEnv, resetEnvCache } from "./env";

const VARS = [
  "DATABASE_URL",
  "APP_ENCRYPTION_KEY",
  "AUTH_SECRET",
  "ADMIN_EMAIL",
  "ADMIN_PASSWORD",
  "OPS_API_TOKEN",
  "PORT",
  "APP_URL",
  "CALCOM_V2_API_URL",
  "DEFAULT_CALCOM_API_KEY",
  "DEFAULT_CALCOM_TEAM_ID",
  "DEFAULT_CALCOM_TEAM_SLUG",
  "CALCOM_WEBHOOK_SECRET",
];
const GOOD_KEY = Buffer.alloc(32, 9).toString("base64");
const GOOD_SECRET = "a-test-auth-secret-that-is-long-enough";

let savedEnv: NodeJS.ProcessEnv;
let dataDir: string;

beforeEach(() => {
  savedEnv = { ...process.env };
  for (const name of VARS) delete process.env[name];
  dataDir = mkdtempSync(path.join(os.tmpdir(), "env-test-"));
  process.env.DATA_DIR = dataDir;
  Object.assign(process.env, { NODE_ENV: "test" });
  resetEnvCache();
});

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  resetEnvCache();
  rmSync(dataDir, { recursive: true, force: true });
});

function configError(): ConfigError {
  try {
    getEnv();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("getEnv() did not throw");
}

describe("getEnv validation", () => {
  it("lists every bad variable in one ConfigError", () => {
    process.env.DATABASE_URL = "mysql://x";
    process.env.APP_ENCRYPTION_KEY = Buffer.alloc(16, 1).toString("base64");
    process.env.ADMIN_EMAIL = "not-an-email";
    process.env.AUTH_SECRET = GOOD_SECRET;
    const error = configError();
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain("DATABASE_URL: DATABASE_URL must be a postgres:// URL");
    expect(error.message).toContain("APP_ENCRYPTION_KEY: APP_ENCRYPTION_KEY must be 32 bytes");
    expect(error.message).toContain("ADMIN_EMAIL: ADMIN_EMAIL must be an email address");
    // Only the bad ones are listed: one "  - " line each.
    expect(error.message.match(/^ {2}- /gm)).toHaveLength(3);
    expect(error.message).not.toContain("AUTH_SECRET");
  });

  it("reports too-short secrets and a malformed Cal.com URL", () => {
    process.env.AUTH_SECRET = "short";
    process.env.OPS_API_TOKEN = "short-token";
    process.env.ADMIN_PASSWORD = "short";
    process.env.CALCOM_V2_API_URL = "api.cal.com/v2";
    const message = configError().message;
    for (const name of ["AUTH_SECRET", "OPS_API_TOKEN", "ADMIN_PASSWORD", "CALCOM_V2_API_URL"]) {
      expect(message).toMatch(new RegExp(`^ {2}- ${name}: `, "m"));
    }
  });

  it("accepts postgres:// and postgresql:// URLs and coerces numbers", () => {
    Object.assign(process.env, {
      DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/app",
      APP_ENCRYPTION_KEY: GOOD_KEY,
      AUTH_SECRET: GOOD_SECRET,
      PORT: "4123",
      DEFAULT_CALCOM_TEAM_ID: "34209",
    });
    const env = getEnv();
    expect(env.DATABASE_URL).toBe("postgresql://u:p@127.0.0.1:5432/app");
    expect(env.PORT).toBe(4123);
    expect(env.DEFAULT_CALCOM_TEAM_ID).toBe(34209);
    expect(env.isDemoSecrets).toBe(false);
    expect(existsSync(path.join(dataDir, "demo-secrets.json"))).toBe(false);
  });

  it("treats empty strings as unset", () => {
    for (const name of VARS.filter((n) => n !== "PORT")) process.env[name] = "";
    process.env.DATABASE_URL = "   ";
    const env = getEnv();
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ADMIN_EMAIL).toBeUndefined();
    expect(env.CALCOM_V2_API_URL).toBeUndefined();
    expect(env.DEFAULT_CALCOM_API_KEY).toBeUndefined();
    expect(env.DEFAULT_CALCOM_TEAM_ID).toBeUndefined();
    // Empty secrets fall back to generated demo secrets rather than failing the length checks.
    expect(env.isDemoSecrets).toBe(true);
    expect(Buffer.from(env.APP_ENCRYPTION_KEY, "base64")).toHaveLength(32);
  });

  it("caches until resetEnvCache()", () => {
    process.env.APP_ENCRYPTION_KEY = GOOD_KEY;
    process.env.AUTH_SECRET = GOOD_SECRET;
    process.env.PORT = "4001";
    expect(getEnv().PORT).toBe(4001);
    process.env.PORT = "4002";
    expect(getEnv().PORT).toBe(4001);
    resetEnvCache();
    expect(getEnv().PORT).toBe(4002);
  });
});

describe("demo secrets", () => {
  it("are generated into DATA_DIR and reused after resetEnvCache()", () => {
    const first = getEnv();
    expect(first.isDemoSecrets).toBe(true);
    expect(Buffer.from(first.APP_ENCRYPTION_KEY, "base64")).toHaveLength(32);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);

    const file = path.join(dataDir, "demo-secrets.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      appEncryptionKey: first.APP_ENCRYPTION_KEY,
      authSecret: first.AUTH_SECRET,
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    resetEnvCache();
    const second = getEnv();
    expect(second).not.toBe(first);
    expect(second.APP_ENCRYPTION_KEY).toBe(first.APP_ENCRYPTION_KEY);
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
  });

  it("fill only the missing secret", () => {
    process.env.APP_ENCRYPTION_KEY = GOOD_KEY;
    const env = getEnv();
    expect(env.isDemoSecrets).toBe(true);
    expect(env.APP_ENCRYPTION_KEY).toBe(GOOD_KEY);
    expect(env.AUTH_SECRET).toBe(JSON.parse(readFileSync(path.join(dataDir, "demo-secrets.json"), "utf8")).authSecret);
  });

  it("are refused in production with DATABASE_URL, and nothing is written", () => {
    Object.assign(process.env, { NODE_ENV: "production" });
    process.env.DATABASE_URL = "postgres://127.0.0.1:5432/app";
    expect(configError().message).toContain("APP_ENCRYPTION_KEY and AUTH_SECRET are required");
    expect(existsSync(path.join(dataDir, "demo-secrets.json"))).toBe(false);
  });
});
