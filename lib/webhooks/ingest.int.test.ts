import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { companyWebhookSecrets } from "@/drizzle/schema/core";
import { webhookRejectionCounts } from "@/drizzle/schema/webhook-ingest";
import { webhookDeliveries, webhookEffects } from "@/drizzle/schema/webhooks";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { listDroppedRejections } from "./rate-limit";
import { deleteExpiredRejected } from "./retention";
import { SecretCache } from "./secret-cache";
import { bookingBody, createWebhookCompany, deliveryRow, post, testAddress } from "./test-helpers";
import { withWebhookCompany } from "./test-setup";
import { drainWebhookQueue } from "./worker";
import { withEnvRestored } from "@/test/env";

// The endpoint under abuse (issue 11.6) and the table-as-queue (issue 14.1), through the real route handlers.
const ctx = withWebhookCompany();
const setEnv = withEnvRestored(["WEBHOOK_REJECTED_PER_MINUTE"]);

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("rejected deliveries", () => {
  it("keep only the first 4 KiB of the body, with the total length and the whole body's SHA-256", async () => {
    const raw = JSON.stringify(bookingBody("BOOKING_CREATED", { extra: { description: "ä".repeat(10_000) } }));
    const res = await post(raw, { slug: ctx.co.slug, secret: "not-the-secret" });
    expect(res.status).toBe(401);
    const row = await deliveryRow(ctx.db, res.json.id);
    expect(row).toMatchObject({
      verdict: "signature_mismatch",
      bodyBytes: Buffer.byteLength(raw),
      bodyTruncated: true,
      bodySha256: sha256(raw),
    });
    // The first 4096 bytes as received (a character cut at the boundary decodes as U+FFFD).
    expect(row.body).toBe(Buffer.from(raw).subarray(0, 4096).toString("utf8"));
  });

  it("are limited per source address: beyond the limit 429, nothing stored, and the drops counted per minute", async () => {
    setEnv({ WEBHOOK_REJECTED_PER_MINUTE: "3" });
    const address = testAddress();
    // The window is the calendar minute: start well inside one so the five posts share it.
    const second = new Date().getSeconds();
    if (second > 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: "wrong", address }));
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 429, 429]);
    expect(results.slice(3).map((r) => r.json.id)).toEqual([undefined, undefined]);
    const counts = await ctx.db
      .select()
      .from(webhookRejectionCounts)
      .where(eq(webhookRejectionCounts.address, address));
    expect(counts).toEqual([expect.objectContaining({ rejected: 5, dropped: 2 })]);
    expect(await listDroppedRejections(ctx.db)).toContainEqual(expect.objectContaining({ address, dropped: 2 }));
    // Another address is not affected, and accepted deliveries from the limited one still go through.
    expect(
      (await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: "wrong", address: testAddress() }))
        .status,
    ).toBe(401);
    expect(
      (await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: ctx.co.secret, address })).status,
    ).toBe(200);
  });

  it("are deleted after the rejected retention; accepted ones and newer rejected ones stay", async () => {
    const old = await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: "wrong" });
    const recent = await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: "wrong" });
    const accepted = await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: ctx.co.secret });
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    await ctx.db
      .update(webhookDeliveries)
      .set({ receivedAt: daysAgo(8) })
      .where(inArray(webhookDeliveries.id, [old.json.id, accepted.json.id]));
    await ctx.db
      .update(webhookDeliveries)
      .set({ receivedAt: daysAgo(6) })
      .where(eq(webhookDeliveries.id, recent.json.id));
    expect(await deleteExpiredRejected(ctx.db, { days: 7 })).toBeGreaterThanOrEqual(1);
    const left = await ctx.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, [old.json.id, recent.json.id, accepted.json.id]));
    expect(left.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      [recent.json.id, accepted.json.id].sort((a, b) => a - b),
    );
  });

  it("an unknown slug is answered exactly like a known slug with a bad signature (status and body)", async () => {
    const body = bookingBody("BOOKING_CREATED");
    const unknown = await post(body, { slug: "no-such-company-abc", secret: "whatever" });
    const bad = await post(body, { slug: ctx.co.slug, secret: "whatever" });
    expect(unknown.status).toBe(401);
    expect(bad.status).toBe(unknown.status);
    const strip = (j: Record<string, unknown>) => ({ ...j, id: undefined });
    expect(strip(unknown.json)).toEqual(strip(bad.json));
    expect(strip(unknown.json)).toEqual({
      ok: false,
      verdict: "signature_mismatch",
      message: "Signature verification failed",
      id: undefined,
    });
    const unsignedUnknown = await post(body, { slug: "no-such-company-abc", header: "" });
    const unsignedKnown = await post(body, { slug: ctx.co.slug, header: "" });
    expect([unsignedUnknown.status, strip(unsignedUnknown.json)]).toEqual([
      unsignedKnown.status,
      strip(unsignedKnown.json),
    ]);
    expect((await deliveryRow(ctx.db, unknown.json.id)).verdict).toBe("unknown_tenant");
  });
});

describe("secret cache", () => {
  it("two instances drop their cached secrets when a secret changes, and reload only then", async () => {
    const mine = await createWebhookCompany(ctx.db);
    const a = new SecretCache({ checkIntervalMs: 60_000 });
    const b = new SecretCache({ checkIntervalMs: 60_000 });
    const secretsOf = async (cache: SecretCache) =>
      (await cache.refresh(ctx.db)).bySlug.get(mine.slug)?.candidates.map((c) => c.secret);
    expect(await secretsOf(a)).toEqual([mine.secret]);
    expect(await secretsOf(b)).toEqual([mine.secret]);
    const loadsBefore = [a.loads, b.loads];
    expect(await secretsOf(b)).toEqual([mine.secret]);
    expect(b.loads).toBe(loadsBefore[1]); // nothing changed: a version check only

    // Rotation written by "instance A" (any writer: the triggers bump the version).
    await ctx.db.insert(companyWebhookSecrets).values({
      companyId: mine.companyId,
      label: "rotated",
      secretEnc: encryptSecret("whsec_rotated_0001"),
      secretLast4: "0001",
    });
    expect((await a.get(ctx.db)).bySlug.get(mine.slug)?.candidates).toHaveLength(1); // within the interval: still cached
    expect(await secretsOf(a)).toEqual(["whsec_rotated_0001", mine.secret]);
    expect(await secretsOf(b)).toEqual(["whsec_rotated_0001", mine.secret]);

    await ctx.db
      .update(companyWebhookSecrets)
      .set({ isActive: false })
      .where(and(eq(companyWebhookSecrets.companyId, mine.companyId), eq(companyWebhookSecrets.label, "current")));
    expect(await secretsOf(b)).toEqual(["whsec_rotated_0001"]);
    expect(b.loads).toBe(loadsBefore[1]! + 2);
  });

  it("the receiver accepts a secret added a moment ago on the shared URL (refresh before rejecting)", async () => {
    const fresh = await createWebhookCompany(ctx.db);
    const res = await post(bookingBody("BOOKING_CREATED"), { secret: fresh.secret });
    expect(res.status).toBe(200);
    expect((await deliveryRow(ctx.db, res.json.id)).companyId).toBe(fresh.companyId);
  });
});

describe("the queue", () => {
  it("concurrent batch workers process every delivery exactly once; repeats become duplicates", async () => {
    const mine = await createWebhookCompany(ctx.db);
    const bodies = Array.from({ length: 30 }, () =>
      JSON.stringify(bookingBody("BOOKING_CREATED", { eventTypeId: mine.eventTypeId })),
    );
    const sent = [...bodies, ...bodies.slice(0, 10)]; // 10 exact repeats
    const ids = (await Promise.all(sent.map((b) => post(b, { slug: mine.slug, secret: mine.secret })))).map(
      (r) => r.json.id,
    );
    await Promise.all([1, 2, 3, 4].map((n) => drainWebhookQueue(ctx.db, { batchSize: 7, workerId: `it-${n}` })));
    const rows = await ctx.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(rows.filter((r) => r.status === "processed")).toHaveLength(30);
    expect(rows.filter((r) => r.status === "duplicate")).toHaveLength(10);
    const effects = await ctx.db.select().from(webhookEffects).where(eq(webhookEffects.companyId, mine.companyId));
    expect(effects).toHaveLength(30);
  });

  it("a permanent failure is not scheduled for an automatic retry", async () => {
    const mine = await createWebhookCompany(ctx.db);
    const weird = await post(bookingBody("BOOKING_CREATED", { eventTypeId: mine.eventTypeId, status: "WEIRD" }), {
      slug: mine.slug,
      secret: mine.secret,
    });
    await drainWebhookQueue(ctx.db, { workerId: "it-retry" });
    expect(await deliveryRow(ctx.db, weird.json.id)).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
      attempts: 1,
    });
  });
});
