import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/config/env";
import { newNonce, securityHeaders } from "@/lib/http/security-headers";

/**
 * Runs before every request. It sets the security headers (CSP with a fresh nonce, which Next reads from the request's
 * CSP header and puts on its own scripts) and sends signed-out browsers from /admin to /login. The client's address
 * is not decided here: lib/http/client-address.ts has the one rule (socket stamp, or X-Forwarded-For behind TRUST_PROXY). It only redirects: every page and route still checks the session and role itself.
 */
export async function proxy(req: NextRequest): Promise<NextResponse> {
  const env = getEnv();
  const { pathname, search } = req.nextUrl;
  const isHttps =
    req.nextUrl.protocol === "https:" ||
    Boolean(env.APP_URL?.startsWith("https://")) ||
    (env.TRUST_PROXY && req.headers.get("x-forwarded-proto") === "https");
  const nonce = newNonce();
  const headers = securityHeaders({ nonce, isHttps, isDev: env.NODE_ENV === "development" });

  let res: NextResponse;
  if (/%00/.test(req.nextUrl.pathname + req.nextUrl.search)) {
    // PostgreSQL text cannot hold NUL; refusing it here keeps every filter from turning it into a 500.
    res = NextResponse.json(
      { error: { code: "BAD_REQUEST", message: "NUL characters are not allowed in URLs" } },
      { status: 400 },
    );
  } else if (isBodyTooLarge(req)) {
    res = NextResponse.json(
      { error: { code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than ${MAX_BODY_BYTES} bytes` } },
      { status: 413 },
    );
  } else if (pathname.startsWith("/admin") && !(await getToken({ req, secret: env.AUTH_SECRET }))) {
    const login = new URL("/login", req.url);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    res = NextResponse.redirect(login);
  } else {
    const forwarded = new Headers(req.headers);
    forwarded.set("content-security-policy", headers["Content-Security-Policy"]!);
    forwarded.set("x-nonce", nonce);
    res = NextResponse.next({ request: { headers: forwarded } });
  }
  for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  return res;
}

// Admin, platform and sign-in requests are small JSON or form bodies; refuse big ones before any route runs, even
// routes that ignore their body. Webhooks and the sandbox apply their own caps (WEBHOOK_MAX_BODY_BYTES).
const MAX_BODY_BYTES = 1024 * 1024;
const OWN_BODY_CAP = /^\/api\/(webhooks|calcom-sandbox)\//;

function isBodyTooLarge(req: NextRequest): boolean {
  if (OWN_BODY_CAP.test(req.nextUrl.pathname)) return false;
  return Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES;
}

export const config = { matcher: ["/:path*"] };
