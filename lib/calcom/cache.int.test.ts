import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiCache } from "@/drizzle/schema/calcom";
import { companies } from "@/drizzle/schema/core";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { loadOnce } from "./cache";

// Coalescing across instances: callers that do not share a process's in-flight map (here: loadOnce called directly,
// as two instances would) wait for the lease holder's value instead of loading themselves.
let db: Db;
let companyId: number;

beforeAll(async () => {
  db = await getTestDb();
  const slug = `cache-${randomBytes(4).toString("hex")}`;
  const [c] = await db.insert(companies).values({ name: slug, slug }).returning();
  companyId = c!.id;
});

const spec = (key: string) => ({ key, companyId, scope: "slots:1", ttlMs: 60_000 });

describe("loadOnce", () => {
  it("loads once for concurrent callers of different instances; the others get the holder's value as a hit", async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 200));
      return { slots: [loads] };
    };
    const key = `test:${randomBytes(4).toString("hex")}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => loadOnce(db, spec(key), load)));
    expect(loads).toBe(1);
    expect(results.filter((r) => !r.isHit)).toHaveLength(1);
    expect(results.map((r) => r.value)).toEqual(Array(5).fill({ slots: [1] }));
    expect(
      await db
        .select()
        .from(apiCache)
        .where(eq(apiCache.key, `lease:${key}`)),
    ).toEqual([]);
  });

  it("lets a waiter load itself when the lease holder fails", async () => {
    const key = `test:${randomBytes(4).toString("hex")}`;
    const failing = loadOnce(db, spec(key), async () => {
      await new Promise((r) => setTimeout(r, 100));
      throw new Error("upstream down");
    });
    // The second caller arrives once the first holds the lease.
    while (
      (
        await db
          .select()
          .from(apiCache)
          .where(eq(apiCache.key, `lease:${key}`))
      ).length === 0
    )
      await new Promise((r) => setTimeout(r, 5));
    const waiting = loadOnce(db, spec(key), async () => ({ slots: ["second"] }));
    await expect(failing).rejects.toThrow("upstream down");
    expect(await waiting).toEqual({ value: { slots: ["second"] }, isHit: false });
  });
});
