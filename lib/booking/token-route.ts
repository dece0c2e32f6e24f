import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { Actor } from "@/lib/auth/roles";
import { getTokenActor } from "@/lib/auth/session";
import { AppError, toErrorResponse } from "@/lib/errors";

type Handler<P> = (args: { req: NextRequest; actor: Actor; params: P }) => Promise<Response | unknown>;

/**
 * Routes for the phone platform (outside callers, no browser session): OPS_API_TOKEN bearer only, JSON errors with
 * clear 4xx codes; the same handler shape as withAuth.
 */
export function withOpsToken<P = Record<string, never>>(handler: Handler<P>) {
  return async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      const actor = getTokenActor(req.headers.get("authorization"));
      if (!actor) throw new AppError("UNAUTHENTICATED", "Send the OPS_API_TOKEN as a Bearer token");
      const result = await handler({ req, actor, params: ctx.params ? await ctx.params : ({} as P) });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      const { status, body } = toErrorResponse(error, `${req.method} ${req.nextUrl.pathname}`);
      return NextResponse.json(body, { status });
    }
  };
}
