import { randomBytes } from "node:crypto";
import {
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { apiCalls, circuitBreakers } from "@/drizzle/schema/calcom";
import { companies } from "@/drizzle/schema/core";
import { sandboxApiKeys } from "@/drizzle/schema/sandbox";
import { hashApiKey } from "@/lib/calcom-sandbox/auth";
import { keyUserFor } from "@/lib/calcom-sandbox/seed-catalog";
import { readRequestCounts } from "@/lib/calcom-sandbox/settings";
import type { SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { createCalcomHttp, type CalcomHttp } from "./client";

/**
 * Shared by the client's integration tests (client-*.int.test.ts): a company pointed at a sandbox over real HTTP,
 * fresh API keys (own client-side bucket and own sandbox rate-limit window), upstream counters and a recording proxy.
 */

export type TestCompanyInput = {
  fx: SandboxFixture;
  /** Defaults to the fixture's server; a proxy URL (with or without /v2) also works. */
  url?: string;
  apiKey?: string;
  teamId?: number | null;
  organizationId?: number | null;
  apiVersions?: Record<string, string>;
};

export async function createTestCompany(
  db: Db,
  input: TestCompanyInput,
): Promise<{ companyId: number; name: string; http: CalcomHttp; apiKey: string }> {
  const apiKey = input.apiKey ?? input.fx.apiKey;
  const slug = `client-it-${Date.now()}-${randomBytes(4).toString("hex")}`;
  const [row] = await db
    .insert(companies)
    .values({
      name: slug,
      slug,
      calcomApiUrl: input.url ?? input.fx.url,
      calcomApiKeyEnc: encryptSecret(apiKey),
      calcomApiKeyLast4: apiKey.slice(-4),
      calcomTeamId: input.teamId === undefined ? input.fx.teamId : input.teamId,
      calcomOrganizationId: input.organizationId ?? null,
      calcomApiVersions: input.apiVersions ?? {},
    })
    .returning({ id: companies.id });
  const companyId = row!.id;
  return { companyId, name: slug, http: await createCalcomHttp(db, companyId), apiKey };
}

/** Another key for the fixture's key user, so that a test has its own client bucket and sandbox window. */
export async function addSandboxKey(db: Db, fx: SandboxFixture): Promise<string> {
  const apiKey = `cal_test_${randomBytes(16).toString("hex")}`;
  await db.insert(sandboxApiKeys).values({
    keyHash: hashApiKey(apiKey),
    userId: keyUserFor(fx.tenant).id,
    label: "client-it",
    last4: apiKey.slice(-4),
  });
  return apiKey;
}

/** Requests the sandbox received for a family ("me", "teams", "event-types", "slots", "bookings") or in total. */
export async function upstreamCount(db: Db, family: string = "total"): Promise<number> {
  return (await readRequestCounts(db))[family] ?? 0;
}

export async function breakerRow(db: Db, companyId: number) {
  const [row] = await db.select().from(circuitBreakers).where(eq(circuitBreakers.companyId, companyId));
  return row;
}

export async function callRows(db: Db, companyId: number) {
  return db.select().from(apiCalls).where(eq(apiCalls.companyId, companyId)).orderBy(apiCalls.id);
}

/** Runs fn and returns what it threw or rejected with (endpoint guards throw synchronously). */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

type RecordedRequest = { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders };

/**
 * A forwarding proxy in front of the sandbox. `onRequest` sees each request as it arrives and may return an
 * `onAnswer` that takes over Cal.com's answer (return true to say it wrote the response itself).
 */
export async function startProxy(
  target: string,
  onRequest: (req: IncomingMessage, url: URL) => ((answer: IncomingMessage, res: ServerResponse) => boolean) | void,
) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", target);
    const onAnswer = onRequest(req, url);
    const upstream = forward(url, { method: req.method, headers: req.headers }, (answer) => {
      if (onAnswer?.(answer, res)) return;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A plain forwarding proxy in front of the sandbox that records each request's headers as they went over the wire. */
export async function startRecordingProxy(target: string) {
  const requests: RecordedRequest[] = [];
  const proxy = await startProxy(target, (req, url) => {
    requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers });
  });
  return { ...proxy, requests };
}
