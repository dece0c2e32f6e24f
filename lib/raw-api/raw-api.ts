import "server-only";
import * as clock from "@/lib/time/clock";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { CalcomHttp, createCalcomHttp } from "@/lib/calcom/client";
import { CalcomError } from "@/lib/calcom/errors";
import type { ApiFamily } from "@/lib/calcom/versions";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { isSensitiveName, RAW_READ_FAMILIES, readFamilyOf, REDACTED, redactSensitive } from "./redact";

/**
 * The guide's `calcom:raw-api GET <endpoint>`: one GET through the company's own client (key, version header per
 * family, breaker, rate limit, call log), for operators. Only paths under the API base's /v2/ in an allowlist of
 * read families are allowed, and fields named like secret, key, token or password are redacted in what is shown and
 * audited (./redact.ts).
 */
export const rawApiSchema = z.object({
  companyId: z.number().int().positive(),
  path: z.string().trim().min(2).max(500),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Overrides the cal-api-version of the path's family, e.g. to reproduce the legacy-version trap. */
  version: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "A version looks like 2024-08-13")
    .optional(),
});
export type RawApiInput = z.input<typeof rawApiSchema>;

const SAFE_PATH = /^\/[A-Za-z0-9\-_.~/]*$/;

/** "/slots/available?x=1" → {path: "/v2/slots/available", query: {x: "1"}}; anything that could leave /v2/ is refused. */
export function parseRawPath(raw: string): { path: string; query: Record<string, string> } {
  const trimmed = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(trimmed))
    throw new AppError(
      "BAD_REQUEST",
      "Give a path such as /v2/me, not a URL: requests only go to the company's Cal.com base URL",
    );
  const [pathPart = "", queryPart = ""] = trimmed.split(/\?(.*)/s, 2);
  const withSlash = pathPart.startsWith("/") ? pathPart : `/${pathPart}`;
  const path = withSlash === "/v2" || withSlash.startsWith("/v2/") ? withSlash : `/v2${withSlash}`;
  if (!SAFE_PATH.test(path))
    throw new AppError(
      "BAD_REQUEST",
      "The path may contain only letters, digits and - _ . ~ / (no encoded characters, spaces or fragments)",
    );
  if (path.split("/").some((segment) => segment === "." || segment === ".."))
    throw new AppError("BAD_REQUEST", "The path may not contain . or .. segments");
  if (path === "/v2" || path === "/v2/") throw new AppError("BAD_REQUEST", "Name an endpoint, e.g. /v2/me");
  if (!readFamilyOf(path))
    throw new AppError(
      "BAD_REQUEST",
      `The raw console only reads ${RAW_READ_FAMILIES.join(", ")}; ${path} is not one of them`,
      { allowed: RAW_READ_FAMILIES },
    );
  return { path, query: Object.fromEntries(new URLSearchParams(queryPart)) };
}

/** The endpoint family decides the cal-api-version header (contract §1). */
export function familyOfPath(path: string): ApiFamily {
  const first = path.split("/")[2] ?? "";
  if (first === "bookings") return "bookings";
  // The hidden legacy slots routes (/v2/slots/available, /reserve, /selected-slot) are served for 2024-04-15..08-13 only.
  if (first === "slots")
    return /^\/v2\/slots\/(available|reserve|selected-slot)(\/|$)/.test(path) ? "slotsLegacy" : "slots";
  if (first === "event-types") return "eventTypes";
  if (first === "schedules") return "schedules";
  if (first === "teams" || first === "organizations") return "teams";
  return "me";
}

export type RawApiResult = {
  ok: boolean;
  request: { method: "GET"; url: string; headers: Record<string, string> };
  status: number | null;
  durationMs: number;
  response?: { status: number; headers: Record<string, string>; body: unknown };
  error?: ReturnType<CalcomError["toJSON"]> & { details?: unknown };
};

export async function runRawGet(db: Db, opts: { input: RawApiInput; actor: Actor }): Promise<RawApiResult> {
  const input = rawApiSchema.parse(opts.input);
  const { path, query } = parseRawPath(input.path);
  const family = familyOfPath(path);
  const base = await createCalcomHttp(db, input.companyId);
  const http = input.version
    ? new CalcomHttp(
        db,
        { ...base.company, calcomApiVersions: { ...base.company.calcomApiVersions, [family]: input.version } },
        base.target,
      )
    : base;
  const params = {
    ...query,
    ...Object.fromEntries(Object.entries(input.params ?? {}).map(([k, v]) => [k, String(v)])),
  };
  const url = http.buildUrl({ pathTemplate: path, query: params });
  // Belt and braces: whatever the parser let through, the final URL must stay under the base's /v2/.
  if (!url.startsWith(`${http.target.baseUrl}/v2/`))
    throw new AppError("BAD_REQUEST", "The path leaves the Cal.com API base");
  const started = clock.nowMs();
  let result: RawApiResult;
  try {
    const r = await http.request({
      family,
      metricFamily: "raw",
      method: "GET",
      pathTemplate: path,
      query: params,
      schema: z.unknown(),
    });
    const response = r.exchange.response && { ...r.exchange.response, body: redactSensitive(r.exchange.response.body) };
    result = {
      ok: true,
      request: { method: "GET", url: redactUrl(url), headers: r.exchange.request.headers },
      status: r.exchange.response?.status ?? 200,
      durationMs: r.exchange.durationMs,
      response,
    };
  } catch (error) {
    if (!(error instanceof CalcomError)) throw error;
    result = {
      ok: false,
      request: { method: "GET", url: redactUrl(url), headers: {} },
      status: error.status,
      durationMs: clock.nowMs() - started,
      error: { ...error.toJSON(), details: redactSensitive(error.details) },
    };
  }
  await writeAudit(db, {
    actor: opts.actor,
    action: "calcom.raw-api",
    targetType: "company",
    targetId: input.companyId,
    companyId: input.companyId,
    details: {
      method: "GET",
      path,
      params: redactSensitive(params),
      version: input.version ?? null,
      status: result.status,
      ok: result.ok,
    },
  });
  return result;
}

/** Query parameters named like a secret are shown redacted in the URL too. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  const sensitive = [...parsed.searchParams.keys()].filter(isSensitiveName);
  if (sensitive.length === 0) return url;
  for (const name of sensitive) parsed.searchParams.set(name, REDACTED);
  return parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}
