import { z } from "zod";
import { loadOrCreateDemoSecrets } from "./demo-secrets";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const envSchema = z.object({
  NODE_ENV: z.preprocess(blankAsUnset, z.enum(["development", "production", "test"]).default("development")),
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, message: "DATABASE_URL must be a postgres:// URL" }).optional(),
  ),
  APP_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32, "APP_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)")
      .optional(),
  ),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional()),
  ADMIN_EMAIL: optionalString.pipe(z.email("ADMIN_EMAIL must be an email address").optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional()),
  OPS_API_TOKEN: optionalString.pipe(z.string().min(24, "OPS_API_TOKEN must be at least 24 characters").optional()),
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(65535).default(3000)),
  APP_URL: optionalString.pipe(z.url().optional()),
  CALCOM_V2_API_URL: optionalString.pipe(z.url("CALCOM_V2_API_URL must be a URL such as https://api.cal.com/v2").optional()),
  DEFAULT_CALCOM_API_KEY: optionalString,
  DEFAULT_CALCOM_TEAM_ID: z.preprocess(blankAsUnset, z.coerce.number().int().positive().optional()),
  DEFAULT_CALCOM_TEAM_SLUG: optionalString,
  CALCOM_WEBHOOK_SECRET: optionalString,
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, message: "SMTP_URL must be smtp:// or smtps://, e.g. smtp://user:pass@mail.example.com:587" }).optional()),
  SMTP_FROM: optionalString,
  OUTBOX_WEBHOOK_FORMAT: z.preprocess(blankAsUnset, z.enum(["json", "slack"]).default("json")),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional()),
  WEBHOOK_MAX_BODY_BYTES: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().min(1024, "WEBHOOK_MAX_BODY_BYTES must be at least 1024").max(10 * 1024 * 1024).default(256 * 1024),
  ),
});

export type AppEnv = z.infer<typeof envSchema> & {
  APP_ENCRYPTION_KEY: string;
  AUTH_SECRET: string;
  isDemoSecrets: boolean;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: AppEnv | undefined;

/** Validated configuration. Throws a ConfigError listing every bad variable at once. */
export function getEnv(): AppEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const env = parsed.data;
  const needsDemo = !env.APP_ENCRYPTION_KEY || !env.AUTH_SECRET;
  if (needsDemo && env.NODE_ENV === "production" && env.DATABASE_URL) {
    throw new ConfigError("APP_ENCRYPTION_KEY and AUTH_SECRET are required when DATABASE_URL is set in production.");
  }
  const demo = needsDemo ? loadOrCreateDemoSecrets() : undefined;
  cached = {
    ...env,
    APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY ?? demo!.appEncryptionKey,
    AUTH_SECRET: env.AUTH_SECRET ?? demo!.authSecret,
    isDemoSecrets: needsDemo,
  };
  return cached;
}

/** Tests change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
