import "server-only";
import { findOutboundRefusal, outboundFetch } from "@/lib/net/outbound-fetch";
import { routedFetch } from "@/lib/http/outbound";
import { bareNestError, errorEnvelope, successEnvelope } from "./schemas";

/** One HTTP exchange with Cal.com, as the slot debugger and the raw console show it (the key is never included). */
export type Exchange = {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; headers: Record<string, string>; body: unknown };
  durationMs: number;
  attempts: number;
  error?: string;
};

export type RawAnswer =
  | { kind: "success"; status: number; data: unknown; pagination?: unknown; headers: Headers; body: unknown }
  | { kind: "http-error"; status: number; message: string; details: unknown; headers: Headers; body: unknown }
  | { kind: "network-error"; message: string; isTimeout: boolean; isPolicyRefusal?: boolean };

const RESPONSE_HEADERS_SHOWN = /^(content-type|x-request-id|x-ratelimit-.*)$/i;

export function redactKey(apiKey: string | null): string {
  return apiKey ? `Bearer ${apiKey.slice(0, 4)}…${apiKey.slice(-4)}` : "(none)";
}

export async function sendOnce(opts: {
  method: string;
  url: string;
  apiKey: string | null;
  version: string;
  body?: unknown;
  timeoutMs: number;
  /** A URL a person set (company settings): checked by the outbound URL policy on every connection. */
  isGuarded?: boolean;
}): Promise<RawAnswer> {
  const headers: Record<string, string> = { accept: "application/json", "cal-api-version": opts.version };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    const init = {
      method: opts.method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    };
    // routedFetch: the demo history answers in-process; otherwise the policy-guarded or the plain network fetch.
    res = await routedFetch(opts.url, init, (url, i) =>
      opts.isGuarded ? outboundFetch(url, i) : fetch(url, { ...i, redirect: "manual", cache: "no-store" }),
    );
  } catch (error) {
    const refusal = findOutboundRefusal(error);
    if (refusal) return { kind: "network-error", isTimeout: false, isPolicyRefusal: true, message: refusal.message };
    const isTimeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return {
      kind: "network-error",
      isTimeout,
      message: isTimeout
        ? `No answer within ${opts.timeoutMs} ms`
        : `${error instanceof Error ? error.message : String(error)}${cause}`,
    };
  }
  const text = await res.text().catch(() => "");
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (an HTML error page from a proxy, say): keep the text for the operator.
  }
  const success = successEnvelope.safeParse(body);
  if (res.ok && success.success)
    return {
      kind: "success",
      status: res.status,
      data: success.data.data,
      pagination: success.data.pagination,
      headers: res.headers,
      body,
    };
  if (res.ok)
    return {
      kind: "http-error",
      status: res.status,
      message: "Cal.com answered with an unexpected shape (no success envelope)",
      details: body,
      headers: res.headers,
      body,
    };
  const envelope = errorEnvelope.safeParse(body);
  if (envelope.success) {
    const details = envelope.data.error.details;
    return {
      kind: "http-error",
      status: res.status,
      message: envelope.data.error.message ?? res.statusText,
      details,
      headers: res.headers,
      body,
    };
  }
  const bare = bareNestError.safeParse(body);
  const message = bare.success
    ? [bare.data.message].flat().join("; ")
    : typeof body === "string" && body
      ? body.slice(0, 300)
      : res.statusText || `HTTP ${res.status}`;
  return { kind: "http-error", status: res.status, message, details: body, headers: res.headers, body };
}

export function shownHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (RESPONSE_HEADERS_SHOWN.test(name)) out[name] = value;
  });
  return out;
}

/** Full jitter exponential backoff (200 ms base, 2 s cap). */
export function backoffMs(attempt: number): number {
  return Math.round(Math.random() * Math.min(2_000, 200 * 2 ** attempt));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
