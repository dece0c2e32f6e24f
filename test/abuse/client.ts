/** A small HTTP client for the abuse suite: keeps every response body it saw (for the secrets scan), signs in. */
export type AbuseResponse = { status: number; headers: Headers; text: string; json: () => unknown };
export type RequestOptions = { method?: string; headers?: Record<string, string>; body?: string; cookie?: string };

export class AbuseClient {
  readonly seen: { what: string; text: string; headers: Headers }[] = [];
  constructor(readonly base: string) {}

  async request(path: string, opts: RequestOptions = {}): Promise<AbuseResponse> {
    const method = opts.method ?? "GET";
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.cookie) headers.cookie = opts.cookie;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: opts.body, redirect: "manual" });
    const text = await res.text();
    this.seen.push({ what: `${method} ${path} -> ${res.status}`, text, headers: res.headers });
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  /** next-auth's credentials flow as the login form runs it; the session cookie, or the error the form would show. */
  async signIn(
    email: string,
    password: string,
    headers: Record<string, string> = {},
  ): Promise<{ cookie?: string; error?: string }> {
    const csrf = await fetch(`${this.base}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = cookiesOf(csrf.headers);
    const res = await fetch(`${this.base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: csrfCookie,
        origin: this.base,
        ...headers,
      },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
    });
    const body = (await res.json()) as { url: string };
    const error = new URL(body.url).searchParams.get("error") ?? undefined;
    const session = cookiesOf(res.headers);
    return error || !session.includes("session-token") ? { error: error ?? "no session" } : { cookie: session };
  }
}

function cookiesOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
