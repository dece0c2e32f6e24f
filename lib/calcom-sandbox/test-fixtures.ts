import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { and, gte, lt, max } from "drizzle-orm";
import { sandboxTeams } from "@/drizzle/schema/sandbox";
import type { Db } from "@/lib/db/types";
import type { DemoTenant } from "@/lib/demo/catalog";
import { zonedToUtc } from "@/lib/time/zoned";
import { sandboxControlToken } from "./enabled";
import { deriveDemoTenant, findCatalogTenant } from "./seed-catalog";
import { seedSandbox, type SeedSandboxInput } from "./seed";
import { startSandboxServer, type SandboxServer } from "./test-server";
import { afterAll, afterEach, beforeAll } from "vitest";
import { getTestDb } from "@/test/db";
import { resetSandbox } from "./control";
import { allowSandboxWebhookOrigin } from "./webhook-target";

/**
 * Integration-test helpers: each fixture seeds its own copy of a catalog tenant (own team id, shifted ids) and serves
 * the sandbox on a random port, so test files share the database but no rows.
 */

const TEST_TEAM_BASE = 50_000_000;
const ID_STRIDE = 10_000_000;

export type SandboxFixture = {
  db: Db;
  server: SandboxServer;
  url: string;
  apiKey: string;
  tenant: DemoTenant;
  teamId: number;
  idOffset: number;
  /** The fixture's id for a base catalog event type id. */
  et: (baseId: number) => number;
  call: (path: string, init?: CallInit) => Promise<Response>;
  /** A /_control call; sends the configured control token unless `token` is given (null: no header). */
  control: (path: string, init?: { method?: string; body?: unknown; token?: string | null }) => Promise<Response>;
  close: () => Promise<void>;
};

type CallInit = {
  method?: string;
  version?: string | null;
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

async function nextTestTeam(db: Db): Promise<{ teamId: number; idOffset: number }> {
  const [row] = await db
    .select({ id: max(sandboxTeams.id) })
    .from(sandboxTeams)
    .where(and(gte(sandboxTeams.id, TEST_TEAM_BASE), lt(sandboxTeams.id, TEST_TEAM_BASE + 200)));
  const k = (row?.id ?? TEST_TEAM_BASE) - TEST_TEAM_BASE + 1;
  if (k >= 200) throw new Error("too many sandbox test tenants in one database");
  return { teamId: TEST_TEAM_BASE + k, idOffset: k * ID_STRIDE };
}

export async function createSandboxFixture(
  db: Db,
  opts: {
    slug?: string;
    webhook?: { url: string; secret?: string | null };
    organizationId?: number;
    bookings?: SeedSandboxInput["bookings"];
  } = {},
): Promise<SandboxFixture> {
  const slug = opts.slug ?? "friseur";
  const base = findCatalogTenant(slug);
  if (!base) throw new Error(`unknown tenant ${slug}`);
  const { teamId, idOffset } = await nextTestTeam(db);
  const apiKey = `cal_test_${randomBytes(16).toString("hex")}`;
  await seedSandbox(db, {
    tenants: [{ slug, apiKey, teamId, idOffset, webhook: opts.webhook, organizationId: opts.organizationId }],
  });
  if (opts.bookings?.length) await seedSandbox(db, { tenants: [], bookings: opts.bookings });
  const server = await startSandboxServer({ db });
  const call = (path: string, init: CallInit = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const key = init.key === undefined ? apiKey : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (init.version) headers["cal-api-version"] = init.version;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    return fetch(server.url + path, {
      method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  };
  const control = (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) => {
    const token = init.token === undefined ? sandboxControlToken() : init.token;
    return fetch(`${server.url}/_control${path}`, {
      method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
      headers: { "content-type": "application/json", ...(token ? { "x-sandbox-control": token } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  };
  if (opts.webhook) allowSandboxWebhookOrigin(opts.webhook.url);
  return {
    db,
    server,
    url: server.url,
    apiKey,
    tenant: deriveDemoTenant(base, { teamId, idOffset }),
    teamId,
    idOffset,
    et: (baseId) => baseId + idOffset,
    call,
    control,
    close: () => server.close(),
  };
}

export type ReceivedHook = { headers: IncomingHttpHeaders; raw: string; json: Record<string, unknown> };

/**
 * A local webhook subscriber that records raw bodies; `status` lets a test answer with redirects or errors. It stands
 * in for this app's webhook endpoint, so its origin is one the sandbox may deliver to.
 */
export async function startHookReceiver(opts: { status?: number; delayMs?: number } = {}) {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, raw, json: JSON.parse(raw || "{}") as Record<string, unknown> });
      const status = opts.status ?? 200;
      setTimeout(() => {
        res.writeHead(status, status >= 300 && status < 400 ? { location: "http://127.0.0.1:9/elsewhere" } : {});
        res.end("ok");
      }, opts.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: allowedHookUrl(`http://127.0.0.1:${port}/api/webhooks/calcom/test-receiver`),
    received,
    async waitFor(predicate: (h: ReceivedHook) => boolean, timeoutMs = 5_000): Promise<ReceivedHook> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`webhook not received; got ${received.map((r) => r.json.triggerEvent).join(", ")}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function allowedHookUrl(url: string): string {
  allowSandboxWebhookOrigin(url);
  return url;
}

/** The instant of a Berlin wall-clock time, as UTC ISO (what booking `start` wants). */
export function berlin(date: string, time: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return zonedToUtc({ year, month, day, hour, minute }, "Europe/Berlin").toISOString();
}

/**
 * The one sandbox setup for an integration test file: a test database and a fixture before all tests, the sandbox's
 * faults and limits reset after each, the server closed at the end. `onReady` hands the two to the file's variables.
 */
export function withSandboxFixture(
  onReady: (db: Db, fx: SandboxFixture) => void,
  opts: Parameters<typeof createSandboxFixture>[1] = {},
): void {
  let fx: SandboxFixture | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    db = await getTestDb();
    fx = await createSandboxFixture(db, opts);
    onReady(db, fx);
  });
  afterEach(async () => {
    if (db) await resetSandbox(db);
  });
  afterAll(async () => {
    await fx?.close();
  });
}
