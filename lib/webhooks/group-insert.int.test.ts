import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { insertDelivery, type DeliveryRow } from "./group-insert";
import { createWebhookCompany, deliveryRow, newUid, type WebhookTestCompany } from "./test-helpers";

// Group commit on the request path (issue 14): concurrent deliveries share INSERTs, each still gets its own row.
let db: Db;
let co: WebhookTestCompany;

beforeAll(async () => {
  db = await getTestDb();
  co = await createWebhookCompany(db);
});
afterAll(async () => {
  await closeDb();
});

function row(companyId: number, uid: string): DeliveryRow {
  const body = JSON.stringify({ triggerEvent: "BOOKING_CREATED", payload: { uid } });
  return {
    receivedAt: new Date(),
    companyId,
    routeSlug: null,
    contentType: "application/json",
    headers: { "content-type": "application/json" },
    body,
    bodyBytes: body.length,
    bodyTruncated: false,
    bodySha256: null,
    verdict: "verified",
    verdictDetail: "test",
    verification: {},
    matchedSecretId: null,
    responseStatus: 200,
    triggerEvent: "BOOKING_CREATED",
    bookingUid: uid,
    bookingId: null,
    payloadCreatedAt: null,
    dedupeKey: `group-${uid}`,
    status: "pending",
    outcome: null,
  };
}

describe("insertDelivery", () => {
  it("gives each of 40 concurrent deliveries the id of its own row", async () => {
    const uids = Array.from({ length: 40 }, () => newUid());
    const ids = await Promise.all(uids.map((uid) => insertDelivery(db, row(co.companyId, uid))));
    expect(new Set(ids).size).toBe(40);
    const stored = await Promise.all(ids.map((id) => deliveryRow(db, id)));
    expect(stored.map((d) => d?.bookingUid)).toEqual(uids);
  });

  it("fails only the request whose row the database refuses; the others in its group are stored", async () => {
    const uids = Array.from({ length: 12 }, () => newUid());
    const results = await Promise.allSettled(
      uids.map((uid, i) => insertDelivery(db, row(i === 5 ? 2_000_000_000 : co.companyId, uid))),
    );
    expect(results[5]).toMatchObject({ status: "rejected", reason: { cause: { code: "23503" } } });
    const stored = results.filter((r): r is PromiseFulfilledResult<number> => r.status === "fulfilled");
    expect(stored).toHaveLength(11);
    const rows = await Promise.all(stored.map((r) => deliveryRow(db, r.value)));
    expect(rows.map((d) => d?.bookingUid)).toEqual(uids.filter((_, i) => i !== 5));
  });

  it("stores every column of a grouped row as it stores a lone one", async () => {
    const full = (uid: string): DeliveryRow => ({
      ...row(co.companyId, uid),
      receivedAt: new Date("2050-01-02T03:04:05.678Z"),
      routeSlug: co.slug,
      headers: { "content-type": "application/json", "x-cal-signature-256": "[redacted]", "user-agent": "Cal.com" },
      bodySha256: "ab".repeat(32),
      verdictDetail: "Signature matches the current secret (…0f3a)",
      verification: { header: "x-cal-signature-256", candidates: [{ label: "current", matched: true }] },
      bookingId: 123456,
      payloadCreatedAt: "2050-01-02T03:04:05.000Z",
      outcome: 'Ünïcødé, quotes " and \\ backslashes',
    });
    const comparable = ({ id: _id, bookingUid: _u, dedupeKey: _k, body: _b, ...rest }: Record<string, unknown>) => rest;
    const lone = await deliveryRow(db, await insertDelivery(db, full(newUid())));
    const ids = await Promise.all(Array.from({ length: 10 }, () => insertDelivery(db, full(newUid()))));
    for (const id of ids) expect(comparable((await deliveryRow(db, id))!)).toEqual(comparable(lone!));
    expect(comparable(lone!)).toMatchObject({ bookingId: 123456, verification: full("x").verification });
  });
});
