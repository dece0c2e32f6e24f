import { clientAddress, PEER_HEADER } from "@/lib/http/client-address";
import * as clock from "@/lib/time/clock";
import type { Db } from "@/lib/db/types";
import { rateLimitKey, resolveAuth } from "./auth";
import {
  handleCancelBooking,
  handleConfirmBooking,
  handleDeclineBooking,
  handleGetBooking,
  handleRequestReschedule,
  handleRescheduleBooking,
} from "./bookings";
import { handleCreateBooking } from "./bookings-create";
import { handleLegacyCancelBooking, handleLegacyCreateBooking, handleLegacyGetBooking } from "./bookings-legacy";
import { handleLegacyListBookings, handleListBookings } from "./bookings-list";
import { CAL_API_VERSION_HEADER, DEFAULT_VERSION, MSG, type CalApiVersion, type Family } from "./constants";
import { handleControlRequest } from "./control";
import { KNOWN_API_VERSIONS } from "@/lib/calcom/versions";
import {
  handleGetEventType,
  handleGetTeamEventType,
  handleLegacyGetEventType,
  handleLegacyListEventTypes,
  handleListEventTypes,
  handleListOrgTeamEventTypes,
  handleListTeamEventTypes,
} from "./event-types";
import { applyFaults, faultsFromSettings } from "./faults";
import {
  errorResponse,
  jsonResponse,
  MAX_API_BODY_BYTES,
  MAX_CONTROL_BODY_BYTES,
  routeNotFound,
  SandboxHttpError,
  withCappedBody,
  type SandboxContext,
} from "./http";
import { hitRateLimit, rateLimitFromSettings, rateLimitHeaders } from "./rate-limit";
import { countRequest, readSettings } from "./settings";
import { handleGetSchedule } from "./schedules";
import { handleGetSlots, handleLegacySlots } from "./slots";
import { handleGetMe, handleGetTeam, handleListTeams } from "./teams";
import { handleListWebhooks } from "./webhooks-api";

type AuthLevel = "required" | "optional" | "none";
type Handler = (ctx: SandboxContext, params: string[]) => Promise<Response>;
type Route = { method: string; pattern: RegExp; versions: readonly CalApiVersion[]; auth: AuthLevel; handler: Handler };

/** Which cal-api-version values each controller is registered for (shared/calcom-v2.md §1). */
const ALL = KNOWN_API_VERSIONS;
const EVENT_TYPES = ["2024-06-14"] as const;
const EVENT_TYPES_LEGACY = ["2024-04-15", "2024-06-11"] as const;
const SLOTS = ["2024-09-04"] as const;
const SLOTS_LEGACY = ["2024-04-15", "2024-06-11", "2024-06-14", "2024-08-13"] as const;
const BOOKINGS = ["2024-08-13", "2026-02-25"] as const;
const BOOKINGS_2026 = ["2026-02-25"] as const;
const BOOKINGS_LEGACY = ["2024-04-15", "2024-06-11", "2024-06-14"] as const;
const SCHEDULES = ["2024-06-11"] as const;

const SEG = "([^/]+)";
const route = (
  method: string,
  path: string,
  versions: readonly CalApiVersion[],
  auth: AuthLevel,
  handler: Handler,
): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/:[a-zA-Z]+/g, SEG)}/?$`),
  versions,
  auth,
  handler,
});

// "optional" routes still reject bad credentials; "none" (the team event-type list) has no guard at all.
const ROUTES: Route[] = [
  route("GET", "/v2/me", ALL, "required", handleGetMe),
  route("GET", "/v2/teams", ALL, "required", handleListTeams),
  route("GET", "/v2/teams/:teamId", ALL, "required", handleGetTeam),
  route("GET", "/v2/teams/:teamId/event-types", ALL, "none", handleListTeamEventTypes),
  route("GET", "/v2/teams/:teamId/event-types/:id", ALL, "required", handleGetTeamEventType),
  route("GET", "/v2/organizations/:orgId/teams/:teamId/event-types", ALL, "required", handleListOrgTeamEventTypes),
  route("GET", "/v2/event-types", EVENT_TYPES, "optional", handleListEventTypes),
  route("GET", "/v2/event-types/:id", EVENT_TYPES, "required", handleGetEventType),
  route("GET", "/v2/event-types", EVENT_TYPES_LEGACY, "required", handleLegacyListEventTypes),
  route("GET", "/v2/event-types/:id", EVENT_TYPES_LEGACY, "required", handleLegacyGetEventType),
  route("GET", "/v2/slots", SLOTS, "optional", handleGetSlots),
  route("GET", "/v2/slots/available", SLOTS_LEGACY, "optional", handleLegacySlots),
  route("GET", "/v2/schedules/:id", SCHEDULES, "required", handleGetSchedule),
  route("GET", "/v2/webhooks", ALL, "required", handleListWebhooks),
  route("POST", "/v2/bookings", BOOKINGS, "optional", handleCreateBooking),
  route("GET", "/v2/bookings", BOOKINGS, "required", handleListBookings),
  route("GET", "/v2/bookings/:uid", BOOKINGS, "optional", handleGetBooking),
  route("POST", "/v2/bookings/:uid/cancel", BOOKINGS, "optional", handleCancelBooking),
  route("POST", "/v2/bookings/:uid/reschedule", BOOKINGS, "optional", handleRescheduleBooking),
  route("POST", "/v2/bookings/:uid/confirm", BOOKINGS, "required", handleConfirmBooking),
  route("POST", "/v2/bookings/:uid/decline", BOOKINGS, "required", handleDeclineBooking),
  // §8.4: only the 2026-02-25 controller has request-reschedule.
  route("POST", "/v2/bookings/:uid/request-reschedule", BOOKINGS_2026, "required", handleRequestReschedule),
  route("POST", "/v2/bookings", BOOKINGS_LEGACY, "optional", handleLegacyCreateBooking),
  route("GET", "/v2/bookings", BOOKINGS_LEGACY, "required", handleLegacyListBookings),
  route("GET", "/v2/bookings/:uid", BOOKINGS_LEGACY, "optional", handleLegacyGetBooking),
  route("POST", "/v2/bookings/:uid/cancel", BOOKINGS_LEGACY, "optional", handleLegacyCancelBooking),
];

function familyOf(path: string): Family {
  if (path === "/v2/me" || path.startsWith("/v2/me/")) return "me";
  if (/^\/v2\/(teams|organizations)(\/|$)/.test(path))
    return /\/event-types(\/|$)/.test(path) ? "event-types" : "teams";
  if (/^\/v2\/event-types(\/|$)/.test(path)) return "event-types";
  if (/^\/v2\/slots(\/|$)/.test(path)) return "slots";
  if (/^\/v2\/bookings(\/|$)/.test(path)) return "bookings";
  if (/^\/v2\/webhooks(\/|$)/.test(path)) return "webhooks";
  return "other";
}

/** NestJS CUSTOM versioning: unknown or missing values silently reach the 2024-04-15 controllers. */
function effectiveVersion(header: string | null): CalApiVersion {
  const value = header?.trim();
  return (KNOWN_API_VERSIONS as readonly string[]).includes(value ?? "") ? (value as CalApiVersion) : DEFAULT_VERSION;
}

async function dispatch(ctx: SandboxContext): Promise<Response> {
  const candidates = ROUTES.filter((r) => r.method === ctx.method && r.pattern.test(ctx.path));
  const match = candidates.find((r) => r.versions.includes(ctx.version));
  if (!match) throw routeNotFound(ctx);
  if (match.auth !== "none" && ctx.auth.kind === "invalid") throw new SandboxHttpError(401, ctx.auth.message);
  const params = (match.pattern.exec(ctx.path) ?? []).slice(1).map(safeDecode);
  return match.handler(ctx, params);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  const merged = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: merged });
}

function stripBase(pathname: string, basePath: string): string {
  const base = basePath.replace(/\/+$/, "");
  if (base && (pathname === base || pathname.startsWith(`${base}/`))) return pathname.slice(base.length) || "/";
  return pathname;
}

export type SandboxRequestOptions = {
  db: Db;
  basePath: string;
  /** The caller's socket address when the server knows it (node:http); Next's route handlers do not. */
  clientAddress?: string | null;
};

/** Entry point: one Cal.com API v2 request (or a /_control request) against the database-backed sandbox. */
export async function handleSandboxRequest(incoming: Request, opts: SandboxRequestOptions): Promise<Response> {
  const url = new URL(incoming.url);
  const path = stripBase(url.pathname, opts.basePath);
  const isControl = path === "/_control" || path.startsWith("/_control/");
  const requestId = incoming.headers.get("x-request-id") ?? "unknown-request-id";
  const base = { method: incoming.method.toUpperCase(), url: path + url.search, requestId };
  const maxBytes = isControl ? MAX_CONTROL_BODY_BYTES : MAX_API_BODY_BYTES;
  const req = await withCappedBody(incoming, maxBytes);
  if (!req) {
    const message = `The request body is larger than ${maxBytes} bytes`;
    return isControl
      ? jsonResponse(413, { error: { code: "PAYLOAD_TOO_LARGE", message } })
      : errorResponse(base, new SandboxHttpError(413, message));
  }
  if (isControl) return handleControlRequest(req, { db: opts.db, path: path.slice("/_control".length) || "/" });
  if (!/^\/v2(\/|$)/.test(path)) return errorResponse(base, routeNotFound(base));
  try {
    const now = clock.now();
    const family = familyOf(path);
    await countRequest(opts.db, family);
    const settings = await readSettings(opts.db);
    const faults = faultsFromSettings(settings);
    const auth = await resolveAuth(opts.db, req.headers, { revokedKeys: faults.revokedKeys, now });
    const ctx: SandboxContext = {
      ...base,
      db: opts.db,
      req,
      path,
      query: url.searchParams,
      version: effectiveVersion(req.headers.get(CAL_API_VERSION_HEADER)),
      family,
      now,
      auth,
      emptyEventTypes: faults.emptyEventTypes,
    };
    // The sandbox's own server (npm run sandbox, tests) knows its socket; inside Next the boot stamp carries it.
    const peer = opts.clientAddress
      ? { [PEER_HEADER]: opts.clientAddress, "x-forwarded-for": req.headers.get("x-forwarded-for") ?? undefined }
      : req.headers;
    const key = rateLimitKey(auth, clientAddress(peer));
    const limit = await hitRateLimit(opts.db, key, rateLimitFromSettings(settings), now);
    let res: Response;
    if (limit.isBlocked) res = errorResponse(ctx, new SandboxHttpError(429, MSG.throttled));
    else res = (await applyFaults(ctx, faults)) ?? (await dispatch(ctx).catch((e: unknown) => failure(base, e)));
    return withHeaders(res, rateLimitHeaders(limit));
  } catch (e) {
    return failure(base, e);
  }
}

function failure(ctx: Pick<SandboxContext, "url" | "requestId">, e: unknown): Response {
  if (e instanceof SandboxHttpError) return errorResponse(ctx, e);
  console.error("[calcom-sandbox] unhandled error", e);
  // Non-HttpExceptions reach NestJS's default handler: the bare body, no envelope.
  return jsonResponse(500, { statusCode: 500, message: MSG.internal });
}
