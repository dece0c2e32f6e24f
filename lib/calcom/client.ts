import "server-only";
import * as clock from "@/lib/time/clock";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { circuitBreakers } from "@/drizzle/schema/calcom";
import { CALCOM_TIMEOUT_MS, MAX_READ_ATTEMPTS } from "./timeouts";
import type { Company } from "@/drizzle/schema/core";
import { resolveCalcomTarget, type CalcomTarget } from "@/lib/companies/calcom-target";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { acquirePermit, recordOutcome, type Outcome, type Permit } from "./breaker";
import { cachedRead, invalidateCache } from "./cache";
import { recordCall } from "./call-log";
import { CalcomError, classifyStatus } from "./errors";
import {
  defaultRateLimit,
  noteUpstreamRateLimit,
  rateLimitKey,
  reserveToken,
  type RateLimitConfig,
} from "./rate-limiter";
import { backoffMs, redactKey, sendOnce, shownHeaders, sleep, type Exchange, type RawAnswer } from "./transport";
import { resolveApiVersion, type ApiFamily } from "./versions";
import { getEnv } from "@/lib/config/env";

export type RequestSpec<T> = {
  family: ApiFamily;
  /** Family recorded for metrics when it differs (team event types go through the teams controller). */
  metricFamily?: string;
  method: "GET" | "POST";
  pathTemplate: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  cache?: { scope: string; ttlMs: number };
  timeoutMs?: number;
};
export type CalcomResult<T> = { data: T; pagination?: unknown; exchange: Exchange; isCacheHit: boolean };

const isDebug = () => getEnv().CALCOM_DEBUG;

/** The one way to call Cal.com for a company: its own key, team, breaker, rate limit, cache and call log. */
export class CalcomHttp {
  /** Recorded with every call (api_calls.correlation) so the booking timeline can find it; see lib/timeline/correlation.ts. */
  correlation: string | null = null;

  constructor(
    readonly db: Db,
    readonly company: Company,
    readonly target: CalcomTarget,
    readonly rateLimit: RateLimitConfig = defaultRateLimit(),
  ) {}

  buildUrl(spec: Pick<RequestSpec<unknown>, "pathTemplate" | "params" | "query">): string {
    const path = spec.pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = spec.params?.[name];
      if (value === undefined) throw new Error(`missing path parameter ${name}`);
      return encodeURIComponent(String(value));
    });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const query = qs.toString();
    return `${this.target.baseUrl}${path}${query ? `?${query}` : ""}`;
  }

  async request<T>(spec: RequestSpec<T>): Promise<CalcomResult<T>> {
    if (!this.target.isConfigured) throw calcomNotConfigured(this.company.name);
    const url = this.buildUrl(spec);
    if (!spec.cache || spec.method !== "GET") return this.callUpstream(spec, url);
    const started = clock.nowMs();
    const { value, isHit } = await cachedRead(
      this.db,
      {
        key: `${this.company.id}:${url}`,
        companyId: this.company.id,
        scope: spec.cache.scope,
        ttlMs: spec.cache.ttlMs,
      },
      async () => {
        const result = await this.callUpstream(spec, url);
        return { data: result.data as unknown, pagination: result.pagination, exchange: result.exchange };
      },
    );
    if (isHit)
      await this.log(spec, {
        status: 200,
        durationMs: clock.nowMs() - started,
        breakerState: await this.currentBreakerState(),
        isCacheHit: true,
      });
    return {
      data: spec.schema.parse(value.data),
      pagination: value.pagination,
      exchange: value.exchange,
      isCacheHit: isHit,
    };
  }

  async invalidate(scope: string): Promise<void> {
    await invalidateCache(this.db, this.company.id, scope);
  }

  private async callUpstream<T>(spec: RequestSpec<T>, url: string): Promise<CalcomResult<T>> {
    const version = resolveApiVersion(spec.family, this.company.calcomApiVersions);
    const exchange: Exchange = {
      request: {
        method: spec.method,
        url,
        headers: { "cal-api-version": version, authorization: redactKey(this.target.apiKey) },
        body: spec.body,
      },
      durationMs: 0,
      attempts: 0,
    };
    const started = clock.nowMs();
    let permit: Permit;
    try {
      permit = await acquirePermit(this.db, this.company.id);
    } catch (error) {
      if (!(error instanceof CalcomError)) throw error;
      await this.log(spec, {
        status: null,
        durationMs: 0,
        breakerState: "open",
        calCode: error.calCode,
        error: error.message,
      });
      throw new CalcomError({
        calCode: error.calCode,
        status: null,
        message: error.message,
        family: spec.family,
        method: spec.method,
        path: spec.pathTemplate,
        details: error.details,
        isBreakerFailure: false,
      });
    }
    let answer: RawAnswer | undefined;
    let outcome: Outcome = { kind: "failure", calCode: "CAL-012", status: null, message: "not sent" };
    try {
      answer = await this.sendWithRetries(spec, url, version, exchange);
      exchange.durationMs = clock.nowMs() - started;
      const result = this.interpret(spec, answer, exchange);
      outcome = result.ok
        ? { kind: "success" }
        : result.error.isBreakerFailure
          ? {
              kind: "failure",
              calCode: result.error.calCode,
              status: result.error.status,
              message: result.error.message,
            }
          : { kind: "neutral" };
      await this.log(spec, {
        status: "status" in answer ? answer.status : null,
        durationMs: exchange.durationMs,
        breakerState: permit.state,
        attempts: exchange.attempts,
        calCode: result.ok ? null : result.error.calCode,
        error: result.ok ? null : result.error.message,
      });
      if (!result.ok) throw result.error;
      return {
        data: result.data,
        pagination: answer.kind === "success" ? answer.pagination : undefined,
        exchange,
        isCacheHit: false,
      };
    } finally {
      await recordOutcome(this.db, permit, outcome);
    }
  }

  private async sendWithRetries(
    spec: RequestSpec<unknown>,
    url: string,
    version: string,
    exchange: Exchange,
  ): Promise<RawAnswer> {
    const limiterKey = rateLimitKey(this.target.apiKey, this.target.baseUrl);
    // Only idempotent reads are retried; a booking POST is never repeated blindly.
    const maxAttempts = spec.method === "GET" ? MAX_READ_ATTEMPTS : 1;
    let answer: RawAnswer = { kind: "network-error", message: "not sent", isTimeout: false };
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const reservation = await reserveToken(this.db, limiterKey, this.rateLimit);
      if ("rejected" in reservation) {
        // A retry that may not go out keeps Cal.com's own last answer; only a first attempt is refused locally.
        if (attempt > 0) return answer;
        return {
          kind: "http-error",
          status: 429,
          message: `Client-side rate limit: next call allowed in ${reservation.retryAfterMs} ms`,
          details: { local: true },
          headers: new Headers(),
          body: null,
        };
      }
      if (reservation.waitMs > 0) await sleep(reservation.waitMs);
      exchange.attempts = attempt + 1;
      answer = await sendOnce({
        method: spec.method,
        url,
        apiKey: this.target.apiKey,
        version,
        body: spec.body,
        timeoutMs: spec.timeoutMs ?? CALCOM_TIMEOUT_MS,
        isGuarded: this.target.source === "company",
      });
      if (isDebug())
        console.debug(
          `[calcom] ${spec.method} ${url} (${redactKey(this.target.apiKey)}) -> ${"status" in answer ? answer.status : answer.message}`,
        );
      if ("headers" in answer) {
        exchange.response = { status: answer.status, headers: shownHeaders(answer.headers), body: answer.body };
        await noteUpstreamRateLimit(this.db, limiterKey, answer.headers, answer.status);
      } else {
        exchange.error = answer.message;
      }
      const isRetryable =
        (answer.kind === "network-error" && !answer.isPolicyRefusal) ||
        (answer.kind !== "network-error" && (answer.status === 429 || answer.status >= 500));
      if (!isRetryable || attempt === maxAttempts - 1) break;
      await sleep(backoffMs(attempt));
    }
    return answer;
  }

  private interpret<T>(
    spec: RequestSpec<T>,
    answer: RawAnswer,
    exchange: Exchange,
  ): { ok: true; data: T } | { ok: false; error: CalcomError } {
    const base = { family: spec.family, method: spec.method, path: spec.pathTemplate };
    if (answer.kind === "network-error" && answer.isPolicyRefusal) {
      // Our own refusal (lib/net/outbound-url.ts): Cal.com was never reached, so it says nothing about its health.
      return {
        ok: false,
        error: new CalcomError({
          ...base,
          calCode: "CAL-014",
          status: null,
          message: answer.message,
          isBreakerFailure: false,
          details: { policy: "outbound-url" },
        }),
      };
    }
    if (answer.kind === "network-error") {
      return {
        ok: false,
        error: new CalcomError({
          ...base,
          calCode: "CAL-012",
          status: null,
          message: answer.message,
          isBreakerFailure: true,
          details: { isTimeout: answer.isTimeout },
        }),
      };
    }
    if (answer.kind === "http-error") {
      const isShapeError = answer.status < 400;
      const isLocalRefusal = (answer.details as { local?: boolean } | null)?.local === true;
      const classified = isShapeError
        ? { calCode: "CAL-012" as const, isBreakerFailure: true }
        : classifyStatus(answer.status, spec.family, spec.method, answer.details, spec.pathTemplate);
      // Refused by our own limiter: Cal.com was never asked, so it says nothing about Cal.com's health.
      const { calCode, isBreakerFailure } = isLocalRefusal
        ? { calCode: classified.calCode, isBreakerFailure: false }
        : classified;
      return {
        ok: false,
        error: new CalcomError({
          ...base,
          calCode,
          status: answer.status,
          message: answer.message,
          details: answer.details,
          isBreakerFailure,
        }),
      };
    }
    const parsed = spec.schema.safeParse(answer.data);
    if (!parsed.success) {
      exchange.error = `Unexpected response shape: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".")} ${i.message}`)
        .join("; ")}`;
      return {
        ok: false,
        error: new CalcomError({
          ...base,
          calCode: "CAL-014",
          status: answer.status,
          message: exchange.error,
          isBreakerFailure: false,
        }),
      };
    }
    return { ok: true, data: parsed.data };
  }

  private async currentBreakerState(): Promise<"closed" | "open" | "half_open"> {
    const [row] = await this.db
      .select({ state: circuitBreakers.state })
      .from(circuitBreakers)
      .where(eq(circuitBreakers.companyId, this.company.id));
    return row?.state ?? "closed";
  }

  private log(
    spec: RequestSpec<unknown>,
    r: {
      status: number | null;
      durationMs: number;
      breakerState: "closed" | "open" | "half_open";
      isCacheHit?: boolean;
      attempts?: number;
      calCode?: string | null;
      error?: string | null;
    },
  ) {
    return recordCall(this.db, {
      companyId: this.company.id,
      family: spec.metricFamily ?? spec.family,
      method: spec.method,
      pathTemplate: spec.pathTemplate,
      status: r.status,
      durationMs: r.durationMs,
      breakerState: r.breakerState,
      isCacheHit: r.isCacheHit ?? false,
      attempts: r.attempts ?? 1,
      calCode: r.calCode ?? null,
      error: r.error?.slice(0, 500) ?? null,
      correlation: this.correlation,
    });
  }
}

function calcomNotConfigured(companyName: string): AppError {
  return new AppError(
    "CALCOM_NOT_CONFIGURED",
    `Cal.com not configured for ${companyName}: set its Cal.com API URL and key in Settings (the built-in sandbox is off).`,
  );
}

export async function createCalcomHttp(db: Db, companyId: number, rateLimit?: RateLimitConfig): Promise<CalcomHttp> {
  const company = await getCompanyOrThrow(db, companyId);
  return new CalcomHttp(db, company, resolveCalcomTarget(company), rateLimit);
}
