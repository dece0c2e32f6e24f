import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { companies } from "@/drizzle/schema/core";
import { resetEnvCache } from "@/lib/config/env";
import { listWebhookDeliveries } from "./log";
import { loadSecretCandidates } from "./settings";
import { listCompanies } from "@/lib/companies/companies";
import { bookingBody, createWebhookCompany, deliveryRow, post, signedRequest } from "./test-helpers";
import { withWebhookCompany } from "./test-setup";
import { POST as postShared } from "@/app/api/webhooks/calcom/route";
import { hmacHex } from "./verify";

// The receiver over its real route handlers: every request is stored with a verdict, rejected ones too.
const ctx = withWebhookCompany();

describe("signature verification", () => {
  it("accepts a body signed as Cal.com signs it, stores it pending and redacts the signature", async () => {
    const body = bookingBody("BOOKING_CREATED", { eventTypeId: ctx.co.eventTypeId });
    const res = await post(body, {
      slug: ctx.co.slug,
      secret: ctx.co.secret,
      headers: { authorization: "Bearer something-secret" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, status: "pending" });
    const row = await deliveryRow(ctx.db, res.json.id);
    expect(row).toMatchObject({
      companyId: ctx.co.companyId,
      verdict: "verified",
      status: "pending",
      triggerEvent: "BOOKING_CREATED",
      bookingUid: (body.payload as { uid: string }).uid,
    });
    expect(row.body).toBe(JSON.stringify(body));
    expect(row.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
    expect(row.headers.authorization).toBe("[redacted]");
    expect(row.headers["x-cal-signature-256"]).toMatch(/^[0-9a-f]{12}… \(64 chars\)$/);
    expect(JSON.stringify(row.headers)).not.toContain(hmacHex(ctx.co.secret, JSON.stringify(body)));
  });

  it("finds the company by its secret on the shared URL", async () => {
    const res = await post(bookingBody("BOOKING_CREATED"), { secret: ctx.co.secret });
    expect(res.status).toBe(200);
    expect(await deliveryRow(ctx.db, res.json.id)).toMatchObject({
      companyId: ctx.co.companyId,
      verdict: "verified",
      routeSlug: null,
    });
  });

  it("rejects a tampered body with 401 and logs expected vs provided prefixes", async () => {
    const raw = JSON.stringify(bookingBody("BOOKING_CREATED"));
    const signature = hmacHex(ctx.co.secret, raw);
    const res = await post(raw.replace("Kunde", "Kundx"), { slug: ctx.co.slug, signature });
    expect(res.status).toBe(401);
    const row = await deliveryRow(ctx.db, res.json.id);
    expect(row).toMatchObject({
      verdict: "signature_mismatch",
      status: "rejected",
      companyId: ctx.co.companyId,
      triggerEvent: "BOOKING_CREATED",
    });
    expect(row.verification).toMatchObject({
      providedPrefix: `${signature.slice(0, 12)}…`,
      expectedPrefix: expect.stringMatching(/^[0-9a-f]{12}…$/),
    });
    expect(row.verification.expectedPrefix).not.toBe(row.verification.providedPrefix);
  });

  it("rejects a missing header with 401 missing_signature", async () => {
    const res = await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: ctx.co.secret, header: "" });
    expect(res.status).toBe(401);
    expect(await deliveryRow(ctx.db, res.json.id)).toMatchObject({ verdict: "missing_signature", status: "rejected" });
  });

  it("accepts the header variants and the trailing-newline variant, and says which", async () => {
    const variant = await post(bookingBody("BOOKING_CREATED"), {
      slug: ctx.co.slug,
      secret: ctx.co.secret,
      header: "cal-signature-256",
    });
    expect(variant.status).toBe(200);
    expect((await deliveryRow(ctx.db, variant.json.id)).verdictDetail).toContain("via header cal-signature-256");

    const raw = JSON.stringify(bookingBody("BOOKING_CREATED"));
    const newline = await post(`${raw}\n`, { slug: ctx.co.slug, signature: hmacHex(ctx.co.secret, raw) });
    expect(newline.status).toBe(200);
    const row = await deliveryRow(ctx.db, newline.json.id);
    expect(row.verification.variant).toBe("trailing-newline-trimmed");

    const upper = await post(raw, {
      slug: ctx.co.slug,
      signature: `sha256=${hmacHex(ctx.co.secret, raw)}`,
      header: "X-Cal-Signature",
    });
    expect(upper.status).toBe(200);
    expect((await deliveryRow(ctx.db, upper.json.id)).verification).toMatchObject({
      variant: "sha256-prefix",
      header: "x-cal-signature",
    });
  });

  it("records a match with an older active secret (rotation) as verified_previous_secret", async () => {
    const rotating = await createWebhookCompany(ctx.db, {
      secrets: ["whsec_old_secret_1234", "whsec_new_secret_5678"],
    });
    const res = await post(bookingBody("BOOKING_CREATED"), { slug: rotating.slug, secret: "whsec_old_secret_1234" });
    expect(res.status).toBe(200);
    const row = await deliveryRow(ctx.db, res.json.id);
    expect(row).toMatchObject({ verdict: "verified_previous_secret", status: "pending" });
    expect(row.verification).toMatchObject({ secretLabel: "old-0", isCurrentSecret: false });
    const current = await post(bookingBody("BOOKING_CREATED"), {
      slug: rotating.slug,
      secret: "whsec_new_secret_5678",
    });
    expect((await deliveryRow(ctx.db, current.json.id)).verdict).toBe("verified");
  });

  it("accepts no-secret-provided only for a company explicitly configured without a secret", async () => {
    const refused = await post(bookingBody("BOOKING_CREATED"), { slug: ctx.co.slug, secret: null });
    expect(refused.status).toBe(401);
    expect(await deliveryRow(ctx.db, refused.json.id)).toMatchObject({
      verdict: "no_secret_provided",
      status: "rejected",
    });

    const unsigned = await createWebhookCompany(ctx.db, { secrets: [], allowUnsigned: true });
    const accepted = await post(bookingBody("BOOKING_CREATED"), { slug: unsigned.slug, secret: null });
    expect(accepted.status).toBe(200);
    expect(await deliveryRow(ctx.db, accepted.json.id)).toMatchObject({
      verdict: "unsigned_allowed",
      status: "pending",
      companyId: unsigned.companyId,
    });
  });

  it("uses CALCOM_WEBHOOK_SECRET as the default company's secret", async () => {
    const [existing] = await ctx.db.select().from(companies).where(eq(companies.isDefault, true));
    const def =
      existing ??
      (
        await ctx.db
          .insert(companies)
          .values({ name: "default-it", slug: `default-it-${Date.now()}`, isDefault: true })
          .returning()
      )[0]!;
    process.env.CALCOM_WEBHOOK_SECRET = "env_webhook_secret_for_default";
    resetEnvCache();
    try {
      const res = await post(bookingBody("BOOKING_CREATED"), { secret: "env_webhook_secret_for_default" });
      expect(res.status).toBe(200);
      const row = await deliveryRow(ctx.db, res.json.id);
      expect(row.companyId).toBe(def.id);
      expect(row.verification.secretLabel).toBe("CALCOM_WEBHOOK_SECRET");
      // Configuration, not a rotation: verified, never "the previous secret".
      expect(row.verdict).toBe("verified");
      const withStored = await loadSecretCandidates(ctx.db, [def.id]);
      expect(withStored[0]?.candidates.find((c) => c.label === "CALCOM_WEBHOOK_SECRET")).toMatchObject({
        isCurrent: true,
      });
      const view = (await listCompanies(ctx.db)).find((c) => c.id === def.id)!;
      expect(view.webhookSecrets.filter((s) => s.source === "environment")).toEqual([
        expect.objectContaining({ label: "CALCOM_WEBHOOK_SECRET", masked: "••••ault", isActive: true }),
      ]);
    } finally {
      delete process.env.CALCOM_WEBHOOK_SECRET;
      resetEnvCache();
      if (!existing) await ctx.db.update(companies).set({ isDefault: false }).where(eq(companies.id, def.id));
    }
  });
});

describe("bad requests are answered with a clear status and still logged", () => {
  it("unknown tenant slug: answered like a bad signature (401), logged as unknown_tenant", async () => {
    const res = await post(bookingBody("BOOKING_CREATED"), { slug: "no-such-company-xyz", secret: ctx.co.secret });
    expect(res.status).toBe(401);
    expect(await deliveryRow(ctx.db, res.json.id)).toMatchObject({
      verdict: "unknown_tenant",
      routeSlug: "no-such-company-xyz",
      companyId: null,
    });
  });

  it("malformed JSON with a valid signature: 400 invalid_json", async () => {
    const raw = '{"triggerEvent":"BOOKING_CREATED","payload":{';
    const res = await post(raw, { slug: ctx.co.slug, secret: ctx.co.secret });
    expect(res.status).toBe(400);
    const row = await deliveryRow(ctx.db, res.json.id);
    expect(row).toMatchObject({ verdict: "invalid_json", status: "rejected", body: raw });
    expect(row.verdictDetail).toContain("not JSON");
  });

  it("wrong content type: 415", async () => {
    const raw = "triggerEvent=BOOKING_CREATED";
    const res = await post(raw, {
      slug: ctx.co.slug,
      secret: ctx.co.secret,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(415);
    expect(await deliveryRow(ctx.db, res.json.id)).toMatchObject({
      verdict: "unsupported_content_type",
      contentType: "application/x-www-form-urlencoded",
    });
  });

  it("oversize body: 413 without buffering it whole, logged with its size and a prefix", async () => {
    const padding = "x".repeat(300 * 1024);
    const body = bookingBody("BOOKING_CREATED", { extra: { description: padding } });
    const raw = JSON.stringify(body);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = Buffer.from(raw.slice(pulled, pulled + 16 * 1024));
        pulled += chunk.length;
        if (chunk.length === 0) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const req = signedRequest("", { slug: undefined, secret: ctx.co.secret });
    const streamed = new Request(req.url, {
      method: "POST",
      headers: req.headers,
      body: stream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    const res = await postShared(streamed);
    expect(res.status).toBe(413);
    const row = await deliveryRow(ctx.db, Number(res.headers.get("x-webhook-delivery-id")));
    expect(row).toMatchObject({ verdict: "payload_too_large", bodyTruncated: true, status: "rejected" });
    expect(row.body!.length).toBeLessThanOrEqual(4096);
    expect(pulled).toBeLessThan(raw.length);
  });
});

describe("the log", () => {
  it("lists newest first with a keyset cursor and filters by company, verdict, status, trigger and booking uid", async () => {
    const mine = await createWebhookCompany(ctx.db);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await post(bookingBody("BOOKING_CREATED"), { slug: mine.slug, secret: mine.secret })).json.id);
    const tampered = await post(bookingBody("BOOKING_CANCELLED"), { slug: mine.slug, signature: "0".repeat(64) });
    const page1 = await listWebhookDeliveries(ctx.db, { companyId: mine.companyId, limit: 4 });
    expect(page1.items.map((i) => i.id)).toEqual([tampered.json.id, ...ids.slice(2).reverse()]);
    expect(page1.nextCursor).toMatch(/^\d+_\d+$/);
    const page2 = await listWebhookDeliveries(ctx.db, {
      companyId: mine.companyId,
      limit: 4,
      cursor: page1.nextCursor!,
    });
    expect(page2.items.map((i) => i.id)).toEqual(ids.slice(0, 2).reverse());
    expect(page2.nextCursor).toBeNull();
    const rejected = await listWebhookDeliveries(ctx.db, {
      companyId: mine.companyId,
      verdict: "signature_mismatch",
      status: "rejected",
      trigger: "BOOKING_CANCELLED",
      limit: 10,
    });
    expect(rejected.items.map((i) => i.id)).toEqual([tampered.json.id]);
    const byUid = await listWebhookDeliveries(ctx.db, { bookingUid: page2.items[0]!.bookingUid!, limit: 10 });
    expect(byUid.items.map((i) => i.id)).toEqual([ids[1]]);
    // A pasted start of the uid, in any case, finds it too.
    const uid = page2.items[0]!.bookingUid!;
    const byPrefix = await listWebhookDeliveries(ctx.db, {
      companyId: mine.companyId,
      bookingUid: uid.slice(0, uid.length - 2).toUpperCase(),
      limit: 10,
    });
    expect(byPrefix.items.map((i) => i.id)).toEqual([ids[1]]);
  });
});
