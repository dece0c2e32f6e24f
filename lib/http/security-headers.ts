/**
 * The security headers every response carries (set in proxy.ts). Scripts: only Next's own, which carry the
 * per-request nonce ('strict-dynamic' lets them load their chunks). Styles allow inline attributes, which React and
 * recharts write into the markup; that cannot run script. Edge-safe: no Node APIs.
 */
export type SecurityHeaderOptions = { nonce: string; isHttps: boolean; isDev: boolean };

export function contentSecurityPolicy({ nonce, isHttps, isDev }: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    // React's development build evaluates strings for its call-stack tooling; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

export function securityHeaders(opts: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(opts),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // Older browsers without CSP frame-ancestors.
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(opts.isHttps ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
