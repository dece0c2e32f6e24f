// GET|POST /api/auth/* – next-auth sign-in, sign-out and session endpoints
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { getAuthOptions } from "@/lib/auth/options";

// Sign-in forms are a few hundred bytes; next-auth itself would read any size, and fail with a 500 on broken JSON.
const MAX_AUTH_BODY_BYTES = 16 * 1024;

async function handler(req: Request, ctx: unknown): Promise<Response> {
  if (req.method === "POST") {
    const declared = Number(req.headers.get("content-length") ?? 0);
    const text = declared > MAX_AUTH_BODY_BYTES ? "" : await req.clone().text();
    if (declared > MAX_AUTH_BODY_BYTES || Buffer.byteLength(text) > MAX_AUTH_BODY_BYTES) {
      return NextResponse.json(
        { error: { code: "PAYLOAD_TOO_LARGE", message: "Request body too large" } },
        { status: 413 },
      );
    }
    if (req.headers.get("content-type")?.includes("json") && !isJson(text)) {
      return NextResponse.json(
        { error: { code: "BAD_REQUEST", message: "The request body must be valid JSON" } },
        { status: 400 },
      );
    }
  }
  return NextAuth(getAuthOptions())(req as never, ctx as never);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export { handler as GET, handler as POST };
