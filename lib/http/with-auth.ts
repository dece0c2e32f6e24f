import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { Role } from "@/drizzle/schema/core";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { hasRole, type Actor } from "@/lib/auth/roles";
import { getSessionActor, getTokenActor } from "@/lib/auth/session";
import { AppError, toErrorResponse } from "@/lib/errors";

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (args: { req: NextRequest; actor: Actor; params: P; db: Db }) => Promise<Response | unknown>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one gate for /api/admin routes: session cookie or OPS_API_TOKEN bearer, role check, and for cookie-authenticated
 * mutations a same-origin check (cross-site request forgery). 401 JSON when unauthenticated, 403 for a low role.
 */
export function withAuth<P = Record<string, never>>(handler: Handler<P>, opts: { role: Role }) {
  return async (req: NextRequest, ctx: RouteContext<P>): Promise<Response> => {
    try {
      const tokenActor = getTokenActor(req.headers.get("authorization"));
      const actor = tokenActor ?? (await getSessionActor());
      if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in, or send a valid OPS_API_TOKEN bearer token");
      if (!tokenActor && !SAFE_METHODS.has(req.method)) assertSameOrigin(req);
      if (!hasRole(actor.role, opts.role)) throw new AppError("FORBIDDEN", `This needs the ${opts.role} role`);
      const result = await handler({
        req,
        actor,
        params: ctx.params ? await ctx.params : ({} as P),
        db: await getDb(),
      });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      const { status, body } = toErrorResponse(error, `${req.method} ${req.nextUrl.pathname}`);
      return NextResponse.json(body, { status });
    }
  };
}

function assertSameOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  if (!origin) {
    if (req.headers.get("sec-fetch-site") === "same-origin") return;
    throw new AppError("FORBIDDEN", "Cross-site request refused: missing Origin header");
  }
  const allowed = new Set([req.nextUrl.origin]);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(`${req.nextUrl.protocol}//${host}`);
  const appUrl = getEnv().APP_URL;
  if (appUrl) allowed.add(new URL(appUrl).origin);
  if (!allowed.has(origin)) throw new AppError("FORBIDDEN", "Cross-site request refused");
}

/** JSON bodies of admin and platform routes are small; a larger one is refused before it is parsed. */
const MAX_JSON_BODY_BYTES = 1024 * 1024;

async function readBodyText(req: Request): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes`);
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw tooLarge();
  // PostgreSQL text cannot hold NUL: refuse it as input rather than fail on the insert.
  if (text.includes("\u0000") || text.includes("\\u0000"))
    throw new AppError("BAD_REQUEST", "NUL characters are not allowed");
  return text;
}

/** Parse a JSON body; a malformed one is a 400, an oversized one a 413, never a 500. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await readBodyText(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body must be valid JSON");
  }
}

/** Like readJson, but an empty body is {} (actions whose fields are all optional). */
export async function readOptionalJson(req: Request): Promise<unknown> {
  const text = await readBodyText(req);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body must be valid JSON");
  }
}
