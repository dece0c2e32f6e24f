import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbuseClient, type AbuseResponse } from "./client";
import { discoverRoutes, type AppRoute, type Gate, type Method } from "./routes";
import { seedAbuseData, type AbuseData } from "./seed";
import { startAbuseServer, type AbuseServer } from "./server";

// The abuse suite: every route and page found under app/, against a production server on its own PostgreSQL database.
let server: AbuseServer;
let data: AbuseData;
let http: AbuseClient;
const cookies: Partial<Record<"admin" | "operator" | "viewer", string>> = {};
const routes = discoverRoutes();
const RANK: Record<string, number> = { viewer: 0, operator: 1, admin: 2 };
const INJECTIONS = [
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "☃ \u202e\u0000 𝒳 ünï",
  "1; DROP TABLE users",
  "x".repeat(5000),
];

/** Runs fn over items, `width` at a time (the server has two cores to share). */
async function pool<T>(items: T[], fn: (item: T) => Promise<void>, width = 4): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

const calls = (filter: (r: AppRoute, m: Method, g: Gate) => boolean) =>
  routes.flatMap((r) =>
    r.methods.filter((m) => filter(r, m, r.gates[m]!)).map((m) => ({ route: r, method: m, gate: r.gates[m]! })),
  );
const isSessionGate = (g: Gate) => g === "viewer" || g === "operator" || g === "admin";
const origin = () => ({ origin: server.url });

beforeAll(async () => {
  server = await startAbuseServer();
  data = await seedAbuseData(server);
  http = new AbuseClient(server.url);
  const signIns = {
    admin: { email: server.env.ADMIN_EMAIL!, password: server.env.ADMIN_PASSWORD! },
    operator: data.users.operator,
    viewer: data.users.viewer,
  };
  for (const [role, c] of Object.entries(signIns)) {
    const result = await http.signIn(c.email, c.password);
    expect(result.error).toBeUndefined();
    cookies[role as keyof typeof cookies] = result.cookie;
  }
}, 600_000);
afterAll(async () => {
  await server?.stop();
});

describe("route discovery", () => {
  it("finds the routes and pages, and every /api/admin method is behind withAuth with a role", () => {
    expect(routes.filter((r) => r.kind === "api").length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.kind === "page" && r.url.startsWith("/admin")).length).toBeGreaterThan(10);
    expect(
      calls((r, _m, g) => r.url.startsWith("/api/admin") && !isSessionGate(g)).map((c) => `${c.method} ${c.route.url}`),
    ).toEqual([]);
  });
});

describe("access", () => {
  it("without a session every gated route answers 401 JSON and every admin page redirects to /login", async () => {
    const bad: string[] = [];
    await pool(
      calls((_r, _m, g) => g !== "none"),
      async ({ route, method }) => {
        const res = await http.request(route.url, {
          method,
          headers: { "content-type": "application/json" },
          body: method === "GET" ? undefined : "{}",
        });
        const ok =
          route.kind === "page"
            ? res.status === 307 && /\/login\?callbackUrl=/.test(res.headers.get("location") ?? "")
            : res.status === 401 && (res.json() as { error: { code: string } }).error.code === "UNAUTHENTICATED";
        if (!ok) bad.push(`${method} ${route.url} -> ${res.status}`);
      },
    );
    expect(bad).toEqual([]);
  });

  it("a role below the route's answers 403 (pages: the forbidden page); the ops token acts as operator", async () => {
    const bad: string[] = [];
    const gated = calls((_r, _m, g) => isSessionGate(g) && g !== "viewer");
    const attempts = gated.flatMap((c) => [
      ...(["viewer", "operator"] as const)
        .filter((role) => RANK[role]! < RANK[c.gate]!)
        .map((role) => ({
          ...c,
          who: role,
          headers: { cookie: cookies[role]!, ...origin() } as Record<string, string>,
        })),
      ...(c.gate === "admin" && c.route.kind === "api"
        ? [
            {
              ...c,
              who: "ops-token",
              headers: { authorization: `Bearer ${server.env.OPS_API_TOKEN}` } as Record<string, string>,
            },
          ]
        : []),
    ]);
    expect(attempts.length).toBeGreaterThan(20);
    await pool(attempts, async ({ route, method, who, headers }) => {
      const res = await http.request(route.url, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: method === "GET" ? undefined : "{}",
      });
      const ok =
        route.kind === "page"
          ? res.status === 307 && /\/forbidden$/.test(res.headers.get("location") ?? "")
          : res.status === 403;
      if (!ok) bad.push(`${who} ${method} ${route.url} -> ${res.status}`);
    });
    expect(bad).toEqual([]);
  });

  it("a mutation with a session from another origin, or with no origin at all, is refused with 403", async () => {
    const bad: string[] = [];
    await pool(
      calls((r, m, g) => isSessionGate(g) && m !== "GET" && r.kind === "api"),
      async ({ route, method }) => {
        for (const headers of [{ origin: "https://evil.example" }, { origin: "null" }, {}] as Record<
          string,
          string
        >[]) {
          const res = await http.request(route.url, {
            method,
            cookie: cookies.admin,
            headers: { "content-type": "application/json", ...headers },
            body: "{}",
          });
          if (res.status !== 403) bad.push(`${method} ${route.url} ${JSON.stringify(headers)} -> ${res.status}`);
        }
      },
    );
    expect(bad).toEqual([]);
  });

  it("every response carries the security headers", () => {
    const missing = http.seen
      .filter(({ headers }) => {
        const csp = headers.get("content-security-policy") ?? "";
        return !(
          /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/.test(csp) &&
          ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"].every((d) =>
            csp.includes(d),
          ) &&
          headers.get("x-content-type-options") === "nosniff" &&
          headers.get("referrer-policy") === "strict-origin-when-cross-origin" &&
          Boolean(headers.get("permissions-policy"))
        );
      })
      .map((s) => s.what);
    expect(http.seen.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});

/** Credentials that pass each route's gate, so its input handling is what gets tested. */
function authFor(gate: Gate): Record<string, string> {
  if (isSessionGate(gate)) return { cookie: cookies.admin!, ...origin() };
  if (gate === "ops-token") return { authorization: `Bearer ${server.env.OPS_API_TOKEN}` };
  return {};
}

describe("input", () => {
  const bodies: [string, string][] = [
    ["malformed", '{"companyId": 1, "reason": '],
    ["not an object", '"just a string"'],
    ["NUL in a string", '{"reason": "a\\u0000b", "name": "a\\u0000b", "label": "x\\u0000"}'],
    ["deeply nested", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["oversized", JSON.stringify({ reason: "x".repeat(1_200_000) })],
  ];

  it("malformed, odd and oversized JSON bodies answer 4xx, never 5xx", async () => {
    const bad: string[] = [];
    await pool(
      calls((r, m) => r.kind === "api" && m !== "GET"),
      async ({ route, method, gate }) => {
        for (const [label, body] of bodies) {
          const res = await http.request(route.url, {
            method,
            headers: { "content-type": "application/json", ...authFor(gate) },
            body,
          });
          if (res.status >= 500 || (label === "oversized" && res.status === 200))
            bad.push(`${label} ${method} ${route.url} -> ${res.status}`);
        }
      },
      3,
    );
    expect(bad).toEqual([]);
  }, 90_000);

  it("injection strings in every query parameter answer 200, 400 or 404, never 5xx, and pages escape them", async () => {
    const bad: string[] = [];
    const targets = calls((_r, m) => m === "GET").filter((c) => c.route.queryParams.length > 0);
    expect(targets.length).toBeGreaterThan(15);
    await pool(targets, async ({ route, gate }) => {
      for (const param of route.queryParams) {
        for (const value of INJECTIONS) {
          const query = new URLSearchParams({ [param]: value }).toString();
          const res = await http.request(`${route.url}?${query}`, { headers: authFor(gate) });
          if (![200, 400, 404].includes(res.status) && !(route.kind === "page" && res.status === 307))
            bad.push(`${route.url}?${param}=${value.slice(0, 20)} -> ${res.status}`);
          if (route.kind === "page" && res.text.includes("<script>alert(1)</script>"))
            bad.push(`${route.url}?${param} reflects <script> unescaped`);
        }
      }
    });
    expect(bad).toEqual([]);
  }, 150_000);
});

describe("sign-in", () => {
  it("10 failures for one account from one address lock it, whatever X-Forwarded-For claims; the form gets the message", async () => {
    const { email, password } = data.users.target;
    for (let i = 0; i < 10; i++) {
      const r = await http.signIn(email, `wrong-${i}`, { "x-forwarded-for": `203.0.113.${i + 1}` });
      expect(r.error).toBe("CredentialsSignin");
    }
    expect(await http.signIn(email, password, { "x-forwarded-for": "198.51.100.77" })).toEqual({
      error: "Too many attempts; try again in 15 minutes",
    });
    // Other accounts from this address are still below the looser per-address limit.
    expect((await http.signIn(data.users.operator.email, data.users.operator.password)).cookie).toContain(
      "session-token",
    );
  });

  it("a password reset or role change by an admin ends that user's sessions", async () => {
    const { email, password } = data.users.viewer;
    const session = (await http.signIn(email, password)).cookie!;
    expect((await http.request("/api/admin/calcom/companies", { cookie: session })).status).toBe(200);
    const users = (await http.request("/api/admin/calcom/users", { cookie: cookies.admin })).json() as {
      users: { id: number; email: string }[];
    };
    const id = users.users.find((u) => u.email === email)!.id;
    const patched = await http.request(`/api/admin/calcom/users/${id}`, {
      method: "PATCH",
      cookie: cookies.admin,
      headers: { "content-type": "application/json", ...origin() },
      body: JSON.stringify({ password: `${password}-new` }),
    });
    expect(patched.status).toBe(200);
    const after: AbuseResponse = await http.request("/api/admin/calcom/companies", { cookie: session });
    expect(after.status).toBe(401);
    expect((await http.request("/admin/calcom-diagnostics", { cookie: session })).status).toBe(307);
  });
});

describe("secrets", () => {
  it("the places that read from Cal.com answer without keys: raw API console, sandbox panel, company settings", async () => {
    for (const { id } of data.companies) {
      for (const path of ["/v2/webhooks", "/v2/me", "/v2/event-types"]) {
        const res = await http.request(
          `/api/admin/calcom/raw-api?${new URLSearchParams({ companyId: String(id), path })}`,
          { cookie: cookies.operator },
        );
        expect(res.status).toBeLessThan(500);
      }
      expect(
        (
          await http.request(`/api/admin/calcom/companies/${id}/test-connection`, {
            method: "POST",
            cookie: cookies.operator,
            headers: origin(),
          })
        ).status,
      ).toBeLessThan(500);
    }
    for (const path of [
      "/api/admin/calcom/sandbox",
      "/api/admin/calcom/companies",
      "/admin/calcom-diagnostics/settings",
      "/admin/calcom-diagnostics/sandbox",
    ]) {
      expect((await http.request(path, { cookie: cookies.admin })).status).toBe(200);
    }
  });

  it("no seeded Cal.com key, webhook secret or deployment secret appears in any response body or the server log", () => {
    expect(http.seen.length).toBeGreaterThan(500);
    const leaks = data.secrets.flatMap((s) => [
      ...http.seen.filter((r) => r.text.includes(s)).map((r) => `${s.slice(0, 12)}… in ${r.what}`),
      ...(server.log().includes(s) ? [`${s.slice(0, 12)}… in the server log`] : []),
    ]);
    expect(data.secrets.length).toBeGreaterThanOrEqual(9);
    expect(leaks).toEqual([]);
  });
});
