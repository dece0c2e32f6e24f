import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxMessage } from "@/drizzle/schema/booking";
import { companies } from "@/drizzle/schema/core";
import { updateAlertThresholds } from "@/lib/alerts/settings";
import type { Actor } from "@/lib/auth/roles";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getMe } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { updateCompanySettings } from "@/lib/companies/companies";
import { resetEnvCache } from "@/lib/config/env";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { findOutboundRefusal } from "@/lib/net/outbound-fetch";
import { webhookSender } from "@/lib/outbox/senders";
import { closeDb, getTestDb } from "@/test/db";

// SSRF: URLs a person sets (a company's Cal.com URL, alert and outbox webhooks) never reach private addresses, whether
// written as an address, as a name that resolves to one (checked when connecting, not only when saving), or reached by
// a redirect (never followed).
const ADMIN: Actor = { kind: "system", label: "ssrf.int.test", role: "admin" };
const KEY = "cal_live_ssrf_test_key_00000001";
let db: Db;
let listener: TcpServer;
let listenerPort: number;
let connections = 0;

function usePolicy(allowPrivate: boolean) {
  process.env.OUTBOUND_ALLOW_PRIVATE = String(allowPrivate);
  resetEnvCache();
}

async function newCompany(values: Partial<typeof companies.$inferInsert> = {}) {
  const slug = `ssrf-${randomUUID()}`;
  const [row] = await db
    .insert(companies)
    .values({ name: slug, slug, calcomApiKeyEnc: encryptSecret(KEY), calcomApiKeyLast4: KEY.slice(-4), ...values })
    .returning();
  return row!;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  db = await getTestDb();
  // A local port that would accept anything: the policy must refuse before a single connection reaches it.
  listener = createTcpServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", () => resolve()));
  listenerPort = (listener.address() as AddressInfo).port;
  usePolicy(false);
});
afterAll(async () => {
  usePolicy(true);
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  await closeDb();
});

describe("saving a URL", () => {
  it.each([
    ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
    ["https://10.0.0.7/v2", "10.0.0.7 is a private address (RFC 1918)"],
    ["https://172.16.0.1/v2", "172.16.0.1 is a private address (RFC 1918)"],
    ["https://192.168.1.20/v2", "192.168.1.20 is a private address (RFC 1918)"],
    ["https://127.0.0.1:5432/v2", "127.0.0.1 is a loopback address"],
    ["https://[::1]:9/v2", "::1 is a loopback address"],
    ["https://[::ffff:169.254.169.254]/v2", "169.254.169.254 is a link-local address"],
    ["https://[fd00::7]/v2", "fd00::7 is a unique-local address (fc00::/7)"],
    ["https://[fe80::1]/v2", "fe80::1 is a link-local address"],
    ["https://100.64.0.9/v2", "100.64.0.9 is a carrier-grade NAT address (100.64.0.0/10)"],
    ["https://224.0.0.251/v2", "224.0.0.251 is a multicast address"],
    ["https://0.0.0.0/v2", "0.0.0.0 is an unspecified address"],
    ["https://user:pw@api.cal.com/v2", "the URL may not carry a user name or password"],
    ["https://api.cal.com/v2?x=1", "the URL may not have a query string"],
    ["https://api.cal.com/v2#x", "the URL may not have a fragment"],
  ])("refuses the company Cal.com URL %s with a 400 naming the field", async (url, reason) => {
    const company = await newCompany();
    const error = await rejection(
      updateCompanySettings(db, { companyId: company.id, input: { calcomApiUrl: url }, actor: ADMIN }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      status: 400,
      message: `calcomApiUrl: ${reason}`,
      details: { field: "calcomApiUrl", reason },
    });
  });

  it("refuses a name that resolves to 127.0.0.1 (localhost)", async () => {
    const company = await newCompany();
    const error = await rejection(
      updateCompanySettings(db, {
        companyId: company.id,
        input: { calcomApiUrl: `https://localhost:${listenerPort}/v2` },
        actor: ADMIN,
      }),
    );
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^calcomApiUrl: localhost resolves to (127\.0\.0\.1|::1) is a loopback address$/),
    });
  });

  it("refuses an alert notify webhook on a private address", async () => {
    const company = await newCompany();
    const error = await rejection(
      updateAlertThresholds(db, {
        companyId: company.id,
        input: { notifyWebhookUrl: "https://10.1.2.3/hook" },
        actor: ADMIN,
      }),
    );
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      message: "notifyWebhookUrl: 10.1.2.3 is a private address (RFC 1918)",
    });
  });

  it("OUTBOUND_ALLOW_PRIVATE=true accepts a private Cal.com (self-hosted on a private network)", async () => {
    usePolicy(true);
    try {
      const company = await newCompany();
      const { company: view } = await updateCompanySettings(db, {
        companyId: company.id,
        input: { calcomApiUrl: "https://10.0.0.7/v2", apiKey: KEY },
        actor: ADMIN,
      });
      expect(view.calcom).toMatchObject({ source: "company", apiUrl: "https://10.0.0.7" });
    } finally {
      usePolicy(false);
    }
  });
});

describe("connecting (the real client, URLs stored without the save-time check)", () => {
  it("refuses a name resolving to 127.0.0.1 when connecting: nothing reaches the port, the key never leaves", async () => {
    const company = await newCompany({ calcomApiUrl: `https://localhost:${listenerPort}/v2` });
    const before = connections;
    const error = await rejection(getMe(await createCalcomHttp(db, company.id)));
    expect(error).toBeInstanceOf(CalcomError);
    expect(error).toMatchObject({
      calCode: "CAL-014",
      isBreakerFailure: false,
      message: expect.stringMatching(
        /^Refused by the outbound URL policy: localhost resolves to (127\.0\.0\.1|::1) is a loopback address$/,
      ),
    });
    expect(connections).toBe(before);
  });

  it("refuses a literal private address before connecting", async () => {
    const company = await newCompany({ calcomApiUrl: `https://127.0.0.1:${listenerPort}/v2` });
    const before = connections;
    const error = await rejection(getMe(await createCalcomHttp(db, company.id)));
    expect(error).toMatchObject({
      calCode: "CAL-014",
      message: "Refused by the outbound URL policy: 127.0.0.1 is a loopback address",
    });
    expect(connections).toBe(before);
  });

  it("refuses an outbox webhook whose name resolves to 127.0.0.1", async () => {
    const before = connections;
    const message = {
      id: 1,
      topic: "alert.opened",
      companyId: null,
      subject: "s",
      body: "b",
      data: null,
      createdAt: new Date(),
      recipient: `https://localhost:${listenerPort}/hook`,
    } as unknown as OutboxMessage;
    const error = await rejection(webhookSender(message));
    expect(findOutboundRefusal(error)?.reason).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1) is a loopback address$/,
    );
    expect(connections).toBe(before);
  });

  it("connects through the same guarded lookup when the address is allowed (OUTBOUND_ALLOW_PRIVATE=true)", async () => {
    usePolicy(true);
    const server: Server = createHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "success", data: { id: 5, email: "owner@example.com", username: "owner" } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "localhost", () => resolve()));
    try {
      const company = await newCompany({
        calcomApiUrl: `http://localhost:${(server.address() as AddressInfo).port}/v2`,
      });
      const me = await getMe(await createCalcomHttp(db, company.id));
      expect(me.data).toMatchObject({ id: 5, email: "owner@example.com" });
    } finally {
      usePolicy(false);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("never follows a redirect to 127.0.0.1", async () => {
    // Both ends are local, so only the private-address check is lifted here; redirects stay unfollowed regardless.
    usePolicy(true);
    let reachedTarget = 0;
    const target: Server = createHttpServer((_req, res) => {
      reachedTarget++;
      res.end("{}");
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", () => resolve()));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/v2/me`;
    const redirector: Server = createHttpServer((_req, res) => {
      res.writeHead(302, { location: targetUrl });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", () => resolve()));
    try {
      const company = await newCompany({
        calcomApiUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/v2`,
      });
      const error = await rejection(getMe(await createCalcomHttp(db, company.id)));
      expect(error).toMatchObject({ status: 302 });
      const recipient = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook`;
      const message = {
        id: 2,
        topic: "alert.opened",
        companyId: null,
        subject: "s",
        body: "b",
        data: null,
        createdAt: new Date(),
        recipient,
      } as unknown as OutboxMessage;
      await expect(webhookSender(message)).rejects.toThrow("webhook answered HTTP 302");
      expect(reachedTarget).toBe(0);
    } finally {
      usePolicy(false);
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
