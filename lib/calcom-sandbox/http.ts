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
  const details = error.opts.details ?? {
    message: error.message,
    error: reasonPhrase(error.status),
    statusCode: error.status,
  };
  return jsonResponse(
    error.status,
    {
      status: "error",
      timestamp: clock.now().toISOString(),
      path: ctx.url,
      error: { code, message: error.message, details },
    },
    headers,
  );
}

export const badRequest = (message: string) => new SandboxHttpError(400, message);
export const notFound = (message: string) => new SandboxHttpError(404, message);
export const routeNotFound = (ctx: Pick<SandboxContext, "method" | "url">) =>
  new SandboxHttpError(404, `Cannot ${ctx.method} ${ctx.url}`);

/** One class-validator error: the property, its failed constraints (name → text) and nested errors. */
export type FieldError = { property: string; constraints?: Record<string, string>; children?: FieldError[] };

export function fieldError(
  property: string,
  constraints: Record<string, string>,
  children: FieldError[] = [],
): FieldError {
  return { property, constraints, children };
}

export const notAllowed = (property: string) =>
  fieldError(property, { whitelistValidation: `property ${property} should not exist` });

/** Cal.com's version-specific pipes flatten errors into "<prop> property is wrong,<constraints> <children>". */
function formatFieldErrors(errors: FieldError[]): string {
  return errors
    .map(
      (e) =>
        `${e.property} property is wrong,${Object.values(e.constraints ?? {}).join(", ")} ${formatFieldErrors(e.children ?? [])}`,
    )
    .join(", ");
}

function toValidatorEntries(errors: FieldError[]): unknown[] {
  return errors.map((e) => ({
    property: e.property,
    children: toValidatorEntries(e.children ?? []),
    constraints: e.constraints ?? {},
  }));
}

/**
 * 400 from a version-specific pipe (slots, create, reschedule, cancel), contract §2 and §8.1: CreateBookingInputPipe
 * and GetSlotsInputPipe throw `BadRequestException(formatErrors(errors))`, so the message is the flat string and
 * `details` is only `{message, error, statusCode}`: no `errors[]` to read the field from.
 */
export function pipeValidationError(errors: FieldError[]): SandboxHttpError {
  return new SandboxHttpError(400, formatFieldErrors(errors));
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

/** Largest body the sandbox reads: Cal.com's own requests are a few KiB; /_control seeds may carry a booking list. */
export const MAX_API_BODY_BYTES = 64 * 1024;
export const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body once, up to `maxBytes` (Content-Length is trusted only to refuse early), and hands back a request
 * whose body is the bytes read; null when the body is larger, so the caller answers 413 without buffering it all.
 */
export async function withCappedBody(req: Request, maxBytes: number): Promise<Request | null> {
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: Buffer.concat(chunks),
    signal: req.signal,
  });
}
