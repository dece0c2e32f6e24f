import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import net from "node:net";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments } from "@/drizzle/schema/core";
import { webhookDeliveries, webhookEffects } from "@/drizzle/schema/webhooks";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { bookingBody, createWebhookCompany, type WebhookTestCompany } from "./test-helpers";
import { drainWebhookQueue } from "./worker";

// Every acknowledged delivery survives SIGKILL of the receiver under load and a database outage, and is applied once.
let db: Db;
let co: WebhookTestCompany;
let databaseUrl: string;

beforeAll(async () => {
  db = await getTestDb();
  databaseUrl = process.env.DATABASE_URL!;
  co = await createWebhookCompany(db);
});
afterAll(async () => {
  await closeDb();
});

async function startReceiver(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn("node", ["--conditions=react-server", "--import", "tsx", "test/workers/webhook-receiver.ts"], {
    env: { ...process.env, DATABASE_URL: url, DB_POOL_MAX: "6" },
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("receiver did not start")), 40_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = chunk.toString().match(/"port":(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { child, port };
}

/** Senders posting distinct signed deliveries until stopped; the ids of 2xx answers are what was acknowledged. */
function startSenders(port: number, senders: number) {
  const acknowledged: number[] = [];
  const statuses: number[] = [];
  const answeredAt: number[] = [];
  let running = true;
  const loops = Array.from({ length: senders }, async () => {
    while (running) {
      const body = JSON.stringify(
        bookingBody("BOOKING_CREATED", {
          eventTypeId: co.eventTypeId,
          start: new Date(Date.UTC(2053, 0, 1) + Math.floor(Math.random() * 1e7) * 60_000).toISOString(),
        }),
      );
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/webhooks/calcom/${co.slug}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-cal-signature-256": createHmac("sha256", co.secret).update(body).digest("hex"),
          },
          body,
        });
        statuses.push(res.status);
        answeredAt.push(Date.now());
        const json = (await res.json()) as { id?: number };
        if (res.status === 200 && json.id) acknowledged.push(json.id);
      } catch {
        statuses.push(0); // connection refused or reset: not acknowledged
        answeredAt.push(Date.now());
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    acknowledged,
    statuses,
    answeredAt,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function expectAppliedOnce(ids: number[]): Promise<void> {
  // A killed process's open transaction holds its rows until PostgreSQL notices the closed connection: drain until done.
  const deadline = Date.now() + 60_000;
  let rows = await db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
  while (rows.some((r) => r.status === "pending") && Date.now() < deadline) {
    await drainWebhookQueue(db, { budgetMs: 30_000, workerId: "durability-it" });
    await new Promise((r) => setTimeout(r, 200));
    rows = await db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
  }
  expect(rows).toHaveLength(ids.length);
  expect(
    rows
      .filter((r) => r.status !== "processed")
      .map((r) => ({ id: r.id, status: r.status, outcome: r.outcome, next: r.nextAttemptAt })),
  ).toEqual([]);
  const effects = await db.select().from(webhookEffects).where(inArray(webhookEffects.deliveryId, ids));
  expect(effects).toHaveLength(ids.length);
  const uids = rows.map((r) => r.bookingUid!);
  expect(
    await db.select({ id: appointments.id }).from(appointments).where(inArray(appointments.calcomBookingUid, uids)),
  ).toHaveLength(ids.length);
}

describe("durability of acknowledged deliveries", () => {
  it("survives SIGKILL of the receiver under load: every 2xx is stored and applied exactly once", async () => {
    const { child, port } = await startReceiver(databaseUrl);
    const load = startSenders(port, 8);
    await new Promise((r) => setTimeout(r, 2500));
    child.kill("SIGKILL");
    await load.stop();
    expect(load.acknowledged.length).toBeGreaterThan(10);
    await expectAppliedOnce(load.acknowledged);
  }, 90_000);

  it("survives a database outage: no 2xx while it is down, 2xx again soon after, every 2xx applied once", async () => {
    const target = new URL(databaseUrl);
    let isDown = false;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      if (isDown) return client.destroy();
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
    const viaProxy = new URL(databaseUrl);
    viaProxy.port = String((proxy.address() as net.AddressInfo).port);
    const { child, port } = await startReceiver(viaProxy.toString());
    try {
      const load = startSenders(port, 4);
      await new Promise((r) => setTimeout(r, 1500));
      isDown = true;
      for (const s of sockets) s.destroy();
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, 4000));
      isDown = false;
      const upAt = Date.now();
      const okAfterUp = () => load.statuses.some((s, i) => s === 200 && load.answeredAt[i]! > upAt);
      while (!okAfterUp() && Date.now() - upAt < 20_000) await new Promise((r) => setTimeout(r, 100));
      const recoveredMs = Date.now() - upAt;
      await new Promise((r) => setTimeout(r, 1000));
      await load.stop();
      // Requests wait for the database (or fail); none is acknowledged while it is unreachable.
      const okWhileDown = load.statuses.filter(
        (s, i) => s === 200 && load.answeredAt[i]! > downAt + 500 && load.answeredAt[i]! < upAt,
      );
      expect(okWhileDown).toEqual([]);
      expect(recoveredMs).toBeLessThan(10_000);
      child.kill("SIGKILL");
      await expectAppliedOnce(load.acknowledged);
    } finally {
      child.kill("SIGKILL");
      await new Promise<void>((r) => proxy.close(() => r()));
      for (const s of sockets) s.destroy();
    }
  }, 90_000);
});
