import { getEnv } from "@/lib/config/env";

/**
 * The sandbox delivers webhooks only to this app's own webhook endpoint (/api/webhooks/calcom[/<company>]) on one of
 * the app's own origins: APP_URL, and http://127.0.0.1:PORT / http://localhost:PORT. Its control API can set any
 * subscriber, so without this rule it would POST wherever a caller asked (cloud metadata, internal services).
 * The standalone sandbox (npm run sandbox) and the tests name the app's origin with allowSandboxWebhookOrigin.
 */

const WEBHOOK_PATH = /^\/api\/webhooks\/calcom(\/[A-Za-z0-9._~-]+)?\/?$/;

type Global = typeof globalThis & { __sandboxWebhookOrigins?: Set<string> };
const extraOrigins = ((globalThis as Global).__sandboxWebhookOrigins ??= new Set<string>());

/** Another origin that is "the app" for this process (SANDBOX_WEBHOOK_URL of the standalone sandbox, test servers). */
export function allowSandboxWebhookOrigin(urlOrOrigin: string): void {
  extraOrigins.add(new URL(urlOrOrigin).origin);
}

function ownWebhookOrigins(): string[] {
  const env = getEnv();
  const origins = new Set([`http://127.0.0.1:${env.PORT}`, `http://localhost:${env.PORT}`, ...extraOrigins]);
  if (env.APP_URL) origins.add(new URL(env.APP_URL).origin);
  return [...origins];
}

/** Why the sandbox may not deliver to this URL, or null when it is the app's own webhook endpoint. */
export function webhookTargetRefusal(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  if (url.username || url.password || url.search || url.hash)
    return "the subscriber URL may not carry a user name, query or fragment";
  if (!WEBHOOK_PATH.test(url.pathname))
    return "the sandbox only delivers to this app's webhook endpoint (/api/webhooks/calcom/<company>)";
  const origins = ownWebhookOrigins();
  if (!origins.includes(url.origin)) return `${url.origin} is not this app (allowed: ${origins.join(", ")})`;
  return null;
}
