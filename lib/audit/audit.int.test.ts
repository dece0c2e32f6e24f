import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, companies, users } from "@/drizzle/schema/core";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { auditQuerySchema, listAudit, writeAudit, type AuditQuery } from "./audit";

const ROWS = 130;
const BASE = Date.UTC(2030, 0, 1, 12, 0);

let db: Db;
let companyId: number;
let otherCompanyId: number;
let tag: string;
/** This file's 130 rows in the company, newest (highest id) first; targetId is the row's index i. */
let inserted: { id: number; i: number }[];
let ids: number[];

beforeAll(async () => {
  db = await getTestDb();
  tag = randomUUID();
  const [company] = await db
    .insert(companies)
    .values({ name: "Audit pages", slug: `audit-${tag}` })
    .returning();
  const [other] = await db
    .insert(companies)
    .values({ name: "Audit other", slug: `audit-other-${tag}` })
    .returning();
  companyId = company!.id;
  otherCompanyId = other!.id;
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    actorLabel: i % 2 === 0 ? `alice-${tag}` : `bob-${tag}`,
    action: i % 3 === 0 ? `alpha-${tag}` : `beta-${tag}`,
    targetType: "test",
    targetId: String(i),
    companyId,
    at: new Date(BASE + i * 60_000),
  }));
  const returned = await db.insert(auditLog).values(rows).returning({ id: auditLog.id, targetId: auditLog.targetId });
  inserted = returned.map((r) => ({ id: r.id, i: Number(r.targetId) })).sort((a, b) => b.id - a.id);
  ids = inserted.map((r) => r.id);
  // Noise in another company with the same action and actor names: filters must keep it out.
  await db.insert(auditLog).values([
    {
      actorLabel: `alice-${tag}`,
      action: `alpha-${tag}`,
      targetType: "test",
      companyId: otherCompanyId,
      at: new Date(BASE),
    },
  ]);
});
afterAll(async () => {
  await closeDb();
});

/** Follows nextCursor until it is null; returns every page. */
async function walk(query: Omit<AuditQuery, "cursor">) {
  const pages: { ids: number[]; nextCursor: number | null }[] = [];
  let cursor: number | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const page = await listAudit(db, { ...query, cursor });
    pages.push({ ids: page.items.map((i) => i.id), nextCursor: page.nextCursor });
    if (page.nextCursor === null) return pages;
    expect(page.nextCursor).toBe(page.items.at(-1)?.id);
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

describe("listAudit keyset pagination", () => {
  it("walks every row of a company exactly once, newest first, 50 per page", async () => {
    const pages = await walk(auditQuerySchema.parse({ companyId: String(companyId), limit: "50" }));
    expect(pages.map((p) => p.ids.length)).toEqual([50, 50, 30]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const seen = pages.flatMap((p) => p.ids);
    expect(seen).toEqual(ids);
    expect(new Set(seen).size).toBe(ROWS);
  });

  it("defaults to 50 per page and ends with nextCursor null when the last page is exactly full", async () => {
    const query = auditQuerySchema.parse({ companyId });
    expect(query.limit).toBe(50);
    const alpha = inserted.filter((r) => r.i % 3 === 0).map((r) => r.id);
    expect(alpha).toHaveLength(44);
    const exact = await walk({ ...query, action: `alpha-${tag}`, limit: 44 });
    expect(exact).toEqual([{ ids: alpha, nextCursor: null }]);
    const split = await walk({ ...query, action: `alpha-${tag}`, limit: 43 });
    expect(split.map((p) => p.ids.length)).toEqual([43, 1]);
    expect(split.flatMap((p) => p.ids)).toEqual(alpha);
  });
});

describe("listAudit filters", () => {
  it("filters by action across companies, and by company", async () => {
    const all = await walk({ action: `alpha-${tag}`, limit: 200 });
    const rows = all.flatMap((p) => p.ids);
    expect(rows).toHaveLength(45);
    const page = await listAudit(db, { action: `alpha-${tag}`, companyId: otherCompanyId, limit: 50 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.companyId).toBe(otherCompanyId);
    expect(page.nextCursor).toBeNull();
  });

  it("filters by actor label", async () => {
    const page = await listAudit(db, { companyId, actor: `bob-${tag}`, limit: 200 });
    expect(page.items.map((i) => i.id)).toEqual(inserted.filter((r) => r.i % 2 === 1).map((r) => r.id));
    expect(page.items).toHaveLength(65);
    expect(page.items.every((i) => i.actorLabel === `bob-${tag}`)).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it("filters by time, both bounds inclusive", async () => {
    const query = auditQuerySchema.parse({
      companyId: String(companyId),
      from: new Date(BASE + 10 * 60_000).toISOString(),
      to: new Date(BASE + 19 * 60_000).toISOString().replace("Z", "+00:00"),
    });
    const page = await listAudit(db, query);
    expect(page.items.map((i) => Number(i.targetId)).sort((a, b) => a - b)).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
  });

  it("returns an empty last page for a company without rows", async () => {
    const [empty] = await db
      .insert(companies)
      .values({ name: "Audit empty", slug: `audit-empty-${tag}` })
      .returning();
    expect(await listAudit(db, { companyId: empty!.id, limit: 50 })).toEqual({ items: [], nextCursor: null });
  });

  it("refuses limits outside 1..200 and times without an offset", () => {
    expect(auditQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ limit: "201" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ from: "2030-01-01T12:00:00" }).success).toBe(false);
  });
});

describe("writeAudit", () => {
  it("records user actors by id and label, others by label only, and stringifies target ids", async () => {
    const [user] = await db
      .insert(users)
      .values({ email: `audit-${tag}@example.com`, passwordHash: "x" })
      .returning();
    await writeAudit(db, {
      actor: { kind: "user", userId: user!.id, email: user!.email, role: "admin" },
      action: `write-${tag}`,
      targetType: "company",
      targetId: 42,
      companyId,
      reason: "because",
      details: { a: 1 },
    });
    await writeAudit(db, {
      actor: { kind: "token", label: "ops-token", role: "operator" },
      action: `write-${tag}`,
      targetType: "system",
    });
    const rows = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, `write-${tag}`))
      .orderBy(auditLog.id);
    expect(rows).toEqual([
      expect.objectContaining({
        actorUserId: user!.id,
        actorLabel: user!.email,
        targetId: "42",
        companyId,
        reason: "because",
        details: { a: 1 },
      }),
      expect.objectContaining({
        actorUserId: null,
        actorLabel: "ops-token",
        targetId: null,
        companyId: null,
        reason: null,
        details: null,
      }),
    ]);
  });
});

describe("listAudit filters as people type them", () => {
  it("matches action and actor partially and ignoring case; % and _ are literal", async () => {
    const shout = `ALPHA-${tag.slice(0, 8).toUpperCase()}`;
    const partial = await walk({ companyId, action: shout, limit: 200 });
    expect(partial.flatMap((p) => p.ids)).toEqual(inserted.filter((r) => r.i % 3 === 0).map((r) => r.id));
    const actor = await listAudit(db, { companyId, actor: `BOB-${tag.slice(0, 6)}`, limit: 200 });
    expect(actor.items).toHaveLength(ROWS / 2);
    expect((await listAudit(db, { companyId, action: "%", limit: 10 })).items).toEqual([]);
  });

  it("shows targets by name: a service, a user, a company", async () => {
    const [user] = await db
      .insert(users)
      .values({ email: `named-${tag}@example.com`, role: "viewer", passwordHash: "x" })
      .returning();
    const actor = { kind: "system", label: "test", role: "admin" } as const;
    await writeAudit(db, { actor, action: `named-${tag}`, targetType: "user", targetId: user!.id, companyId });
    await writeAudit(db, { actor, action: `named-${tag}`, targetType: "company", targetId: otherCompanyId, companyId });
    const page = await listAudit(db, { companyId, action: `named-${tag}`, limit: 10 });
    expect(page.items.map((i) => [i.targetType, i.targetName, i.companyName])).toEqual([
      ["company", "Audit other", "Audit pages"],
      ["user", `named-${tag}@example.com`, "Audit pages"],
    ]);
  });
});
