import * as clock from "@/lib/time/clock";
import type { Db } from "@/lib/db/types";
import type { SandboxUser } from "@/drizzle/schema/sandbox";
import { EXCEPTIONS, MSG, type CalApiVersion, type Family } from "./constants";

/** What one /v2 request carries through the sandbox. */
export type SandboxAuth =
  | { kind: "none" }
  | { kind: "user"; user: SandboxUser; keyHash: string }
  | { kind: "invalid"; message: string; keyHash: string | null };

export type SandboxContext = {
  db: Db;
  req: Request;
  method: string;
  /** Path after the sandbox prefix, e.g. "/v2/slots". */
  path: string;
  /** Path and query exactly as sent: what NestJS puts into `path` and into "Cannot GET …". */
  url: string;
  query: URLSearchParams;
  version: CalApiVersion;
  family: Family;
  now: Date;
  requestId: string;
  auth: SandboxAuth;
  /** The "empty event-type lists" fault. */
  emptyEventTypes: boolean;
};

/**
 * A NestJS HttpException as the sandbox raises it. `raw` skips the envelope (bare NestJS bodies that real Cal.com
 * sometimes returns); `details` replaces the default `{message, error, statusCode}`.
 */
export class SandboxHttpError extends Error {
  override name = "SandboxHttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly opts: { details?: unknown; code?: string; raw?: unknown } = {},
  ) {
    super(message);
  }
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function success(data: unknown, status = 200, extra: Record<string, unknown> = {}): Response {
  return jsonResponse(status, { status: "success", data, ...extra });
}

function reasonPhrase(status: number): string {
  return EXCEPTIONS[status]?.[1] ?? "Error";
}

/** The HttpExceptionFilter envelope; it also sets X-Request-Id (the caller's, or its placeholder). */
export function errorResponse(ctx: Pick<SandboxContext, "url" | "requestId">, error: SandboxHttpError): Response {
  const headers = { "x-request-id": ctx.requestId };
  if (error.opts.raw !== undefined) return jsonResponse(error.status, error.opts.raw, headers);
  const code = error.opts.code ?? EXCEPTIONS[error.status]?.[0] ?? "HttpException";
  const details = error.opts.details ?? { message: error.message, error: reasonPhrase(error.status), statusCode: error.status };
  return jsonResponse(
    error.status,
    { status: "error", timestamp: clock.now().toISOString(), path: ctx.url, error: { code, message: error.message, details } },
    headers,
  );
}

export const badRequest = (message: string) => new SandboxHttpError(400, message);
export const notFound = (message: string) => new SandboxHttpError(404, message);
export const routeNotFound = (ctx: Pick<SandboxContext, "method" | "url">) => new SandboxHttpError(404, `Cannot ${ctx.method} ${ctx.url}`);

/** One class-validator error: the property, its failed constraints (name → text) and nested errors. */
export type FieldError = { property: string; constraints?: Record<string, string>; children?: FieldError[] };

export function fieldError(property: string, constraints: Record<string, string>, children: FieldError[] = []): FieldError {
  return { property, constraints, children };
}

export const notAllowed = (property: string) => fieldError(property, { whitelistValidation: `property ${property} should not exist` });

/** Cal.com's version-specific pipes flatten errors into "<prop> property is wrong,<constraints> <children>". */
export function formatFieldErrors(errors: FieldError[]): string {
  return errors
    .map((e) => `${e.property} property is wrong,${Object.values(e.constraints ?? {}).join(", ")} ${formatFieldErrors(e.children ?? [])}`)
    .join(", ");
}

function toValidatorEntries(errors: FieldError[]): unknown[] {
  return errors.map((e) => ({ property: e.property, children: toValidatorEntries(e.children ?? []), constraints: e.constraints ?? {} }));
}

/**
 * 400 from a version-specific pipe (slots, create, reschedule, cancel): the flattened message as Cal.com sends it.
 * `details.errors` is added beside the usual details so a client can read the entries either way.
 */
export function pipeValidationError(errors: FieldError[]): SandboxHttpError {
  const message = formatFieldErrors(errors);
  return new SandboxHttpError(400, message, {
    details: { message, error: "Bad Request", statusCode: 400, errors: toValidatorEntries(errors) },
  });
}

/** 400 from the global ValidationPipe (list query, legacy handlers): generic message, entries under details.errors. */
export function globalPipeError(errors: FieldError[]): SandboxHttpError {
  return new SandboxHttpError(400, "Bad Request Exception", { details: { errors: toValidatorEntries(errors) } });
}

/** Reads a JSON body; an empty or unparsable body counts as {} (Cal.com validates it as empty). */
export async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text().catch(() => "");
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export function requireAuthUser(ctx: SandboxContext, level: "required" | "list" = "required"): SandboxUser {
  if (ctx.auth.kind === "user") return ctx.auth.user;
  if (ctx.auth.kind === "invalid") throw new SandboxHttpError(401, ctx.auth.message);
  // List endpoints carry the PermissionsGuard, which rejects a request without credentials before the strategy runs.
  throw level === "list" ? new SandboxHttpError(403, MSG.listNoAuth) : new SandboxHttpError(401, MSG.noAuth);
}

export function optionalAuthUser(ctx: SandboxContext): SandboxUser | null {
  return ctx.auth.kind === "user" ? ctx.auth.user : null;
}
