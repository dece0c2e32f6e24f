import "server-only";
import { eq } from "drizzle-orm";
import { webhookConfigVersion } from "@/drizzle/schema/webhook-ingest";
import { webhookSettings } from "@/drizzle/schema/webhooks";
import { getEnv } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/types";
import { loadSecretCandidates } from "./settings";
import type { SecretCandidate } from "./verify";

/**
 * Decrypted webhook secrets, per instance, so a delivery costs no lookup and no decryption. The database keeps a
 * version number (webhook_config_version, bumped by triggers on secrets, companies and webhook settings); the cache
 * re-reads it at most once per check interval in the background, and synchronously before a delivery is rejected
 * for its signature or its slug, so a new secret works at once on every instance and a removed one stops within
 * the interval. A failed version check keeps the secrets it has (the insert will say whether the database is up).
 */

export type TenantConfig = { companyId: number; slug: string; candidates: SecretCandidate[]; allowUnsigned: boolean };
export type SecretSnapshot = {
  version: number;
  /** CALCOM_WEBHOOK_SECRET when loaded: configuration, not in the database, so not covered by the version. */
  envSecret: string | undefined;
  all: TenantConfig[];
  bySlug: Map<string, TenantConfig>;
  unsignedCompanyIds: number[];
};

const DEFAULT_CHECK_INTERVAL_MS = 1000;

export class SecretCache {
  private snapshot: SecretSnapshot | null = null;
  private lastCheckAt = 0;
  private inflight: { promise: Promise<SecretSnapshot>; startedAt: number } | null = null;
  readonly checkIntervalMs: number;
  /** How many times the secrets were read and decrypted (tests, bench). */
  loads = 0;

  constructor(opts: { checkIntervalMs?: number } = {}) {
    this.checkIntervalMs = opts.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  }

  /** The cached secrets; the first call loads them. A stale version check runs in the background. */
  async get(db: DbOrTx): Promise<SecretSnapshot> {
    if (!this.snapshot || this.snapshot.envSecret !== getEnv().CALCOM_WEBHOOK_SECRET) {
      this.snapshot = null;
      return this.refresh(db);
    }
    if (Date.now() - this.lastCheckAt > this.checkIntervalMs && !this.inflight) {
      this.refresh(db).catch((error: unknown) =>
        console.warn("[webhooks] secret version check failed:", error instanceof Error ? error.message : error),
      );
    }
    return this.snapshot;
  }

  /** Checks the version (a check that started at or after `since` will do) and reloads when it moved. */
  async refresh(db: DbOrTx, since = Date.now()): Promise<SecretSnapshot> {
    while (this.inflight) {
      const running = this.inflight;
      const result = await running.promise.catch(() => null);
      if (result && running.startedAt >= since) return result;
      if (this.inflight === running) break;
    }
    if (!this.inflight) {
      const run = { startedAt: Date.now(), promise: this.check(db) };
      this.inflight = run;
      run.promise.then(
        () => this.inflight === run && (this.inflight = null),
        () => this.inflight === run && (this.inflight = null),
      );
    }
    return this.inflight.promise;
  }

  /** Forget everything (tests, or a key change). */
  clear(): void {
    this.snapshot = null;
    this.lastCheckAt = 0;
  }

  private async check(db: DbOrTx): Promise<SecretSnapshot> {
    const version = await readVersion(db);
    this.lastCheckAt = Date.now();
    if (
      this.snapshot &&
      this.snapshot.version === version &&
      this.snapshot.envSecret === getEnv().CALCOM_WEBHOOK_SECRET
    )
      return this.snapshot;
    const snapshot = await loadSnapshot(db, version);
    this.snapshot = snapshot;
    this.loads++;
    return snapshot;
  }
}

async function readVersion(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ version: webhookConfigVersion.version })
    .from(webhookConfigVersion)
    .where(eq(webhookConfigVersion.id, 1));
  return row?.version ?? 0;
}

/** Read after the version: a change in between leaves an older number with newer data, so the next check reloads. */
async function loadSnapshot(db: DbOrTx, version: number): Promise<SecretSnapshot> {
  const [companies, unsigned] = await Promise.all([
    loadSecretCandidates(db),
    db
      .select({ companyId: webhookSettings.companyId })
      .from(webhookSettings)
      .where(eq(webhookSettings.allowUnsigned, true)),
  ]);
  const unsignedIds = new Set(unsigned.map((u) => u.companyId));
  const all = companies.map((c) => ({ ...c, allowUnsigned: unsignedIds.has(c.companyId) }));
  return {
    version,
    envSecret: getEnv().CALCOM_WEBHOOK_SECRET,
    all,
    bySlug: new Map(all.map((c) => [c.slug, c])),
    unsignedCompanyIds: [...unsignedIds],
  };
}

type Global = typeof globalThis & { __calcomWebhookSecrets?: SecretCache };

/** The process-wide cache (on globalThis: Next's module graphs share it). */
export function webhookSecretCache(): SecretCache {
  const g = globalThis as Global;
  g.__calcomWebhookSecrets ??= new SecretCache();
  return g.__calcomWebhookSecrets;
}
