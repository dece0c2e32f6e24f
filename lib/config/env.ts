import { z } from "zod";
import { loadOrCreateDemoSecrets } from "./demo-secrets";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** "true" / "false" (or unset); anything else is a configuration error rather than a silent default. */
const flag = (name: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .enum(["true", "false"], `${name} must be true or false`)
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true")),
  );

const envSchema = z.object({
  NODE_ENV: z.preprocess(blankAsUnset, z.enum(["development", "production", "test"]).default("development")),
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, message: "DATABASE_URL must be a postgres:// URL" }).optional(),
  ),
  APP_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine(
        (v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32,
        "APP_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)",
      )
      .optional(),
  ),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional()),
  ADMIN_EMAIL: optionalString.pipe(z.email("ADMIN_EMAIL must be an email address").optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional()),
  OPS_API_TOKEN: optionalString.pipe(z.string().min(24, "OPS_API_TOKEN must be at least 24 characters").optional()),
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(65535).default(3000)),
  /** Read directly by lib/config/data-dir.ts (it is needed to load the demo secrets getEnv() returns); validated here. */
  DATA_DIR: optionalString,
  PGLITE_DIR: optionalString,
  DB_POOL_MAX: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(200).default(10)),
  /** off: this instance serves requests only and works no background jobs. */
  JOB_WORKERS: z.preprocess(blankAsUnset, z.enum(["on", "off"], "JOB_WORKERS must be on or off").default("on")),
  CALCOM_DEBUG: flag("CALCOM_DEBUG").transform((v) => v ?? false),
  CALCOM_RATE_LIMIT_PER_MINUTE: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(100_000).default(100)),
  CALCOM_RATE_LIMIT_BURST: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(100_000).default(150)),
  CALCOM_CALL_RETENTION_DAYS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(3650).default(30)),
  SLOT_QUERY_RETENTION_DAYS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(3650).default(30)),
  OUTBOX_EMAIL_TO: optionalString,
  OUTBOX_WEBHOOK_URL: optionalString,
  OUTBOX_WEBHOOK_SECRET: optionalString,

  APP_URL: optionalString.pipe(z.url().optional()),
  CALCOM_V2_API_URL: optionalString.pipe(
    z.url("CALCOM_V2_API_URL must be a URL such as https://api.cal.com/v2").optional(),
  ),
  DEFAULT_CALCOM_API_KEY: optionalString,
  DEFAULT_CALCOM_TEAM_ID: z.preprocess(blankAsUnset, z.coerce.number().int().positive().optional()),
  DEFAULT_CALCOM_TEAM_SLUG: optionalString,
  CALCOM_WEBHOOK_SECRET: optionalString,
  SMTP_URL: optionalString.pipe(
    z
      .url({
        protocol: /^smtps?$/,
        message: "SMTP_URL must be smtp:// or smtps://, e.g. smtp://user:pass@mail.example.com:587",
      })
      .optional(),
  ),
  SMTP_FROM: optionalString,
  OUTBOX_WEBHOOK_FORMAT: z.preprocess(blankAsUnset, z.enum(["json", "slack"]).default("json")),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional()),
  WEBHOOK_MAX_BODY_BYTES: z.preprocess(
    blankAsUnset,
    z.coerce
      .number()
      .int()
      .min(1024, "WEBHOOK_MAX_BODY_BYTES must be at least 1024")
      .max(10 * 1024 * 1024)
      .default(256 * 1024),
  ),
  SIGNIN_MAX_FAILURES: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(1000).default(10)),
  SIGNIN_ADDRESS_MAX_FAILURES: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(100_000).default(100)),
  SIGNIN_WINDOW_MINUTES: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(1440).default(15)),
  SIGNIN_LOCKOUT_MINUTES: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(1440).default(15)),
  /** Unset: served in embedded demo mode (no DATABASE_URL) only. See lib/calcom-sandbox/enabled.ts. */
  CALCOM_SANDBOX_ENABLED: flag("CALCOM_SANDBOX_ENABLED"),
  CALCOM_SANDBOX_URL: optionalString.pipe(z.url("CALCOM_SANDBOX_URL must be a URL").optional()),
  SANDBOX_CONTROL_TOKEN: optionalString.pipe(
    z.string().min(24, "SANDBOX_CONTROL_TOKEN must be at least 24 characters").optional(),
  ),
  /** Lifts the outbound URL policy's address check and https rule (self-hosted Cal.com on a private network). */
  OUTBOUND_ALLOW_PRIVATE: flag("OUTBOUND_ALLOW_PRIVATE").transform((v) => v ?? false),
  /** Behind a reverse proxy: the client address is the last X-Forwarded-For entry (lib/http/client-address.ts). */
  TRUST_PROXY: flag("TRUST_PROXY").transform((v) => v ?? false),
  WEBHOOK_REJECTED_PER_MINUTE: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(100_000).default(60)),
  WEBHOOK_REJECTED_RETENTION_DAYS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(3650).default(7)),
  /** true: serve the benchmark-only routes (/api/bench/noop, /api/bench/noop/{slug}). */
  BENCH_ROUTES: flag("BENCH_ROUTES").transform((v) => v ?? false),
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
