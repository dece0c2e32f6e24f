import { randomInt, randomUUID } from "node:crypto";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInThrottle } from "@/drizzle/schema/auth";
import { auditLog } from "@/drizzle/schema/core";
import type { Db } from "@/lib/db/types";
import { createUser, getUserById, updateUser } from "@/lib/users/users";
import { closeDb, getTestDb } from "@/test/db";
import { withEnvRestored } from "@/test/env";
import { signInWithPassword, SignInThrottledError } from "./sign-in";
import { pruneSignInThrottle } from "./throttle";

const SYSTEM = { kind: "system", label: "sign-in.int.test", role: "admin" } as const;
const PASSWORD = "correct horse battery staple";
const UA = "vitest-agent/1.0";
let db: Db;
const setEnv = withEnvRestored(["SIGNIN_ADDRESS_MAX_FAILURES"]);

beforeAll(async () => {
  db = await getTestDb();
});
afterAll(async () => {
  await closeDb();
});

const newAddress = () => `198.51.100.${randomInt(1, 255)}`;
const docAddress = () => `2001:db8::${randomInt(1, 0xffff).toString(16)}:${randomInt(1, 0xffff).toString(16)}`;

async function newUser() {
  const email = `signin-${randomUUID()}@example.com`;
  const user = await createUser(db, { input: { email, role: "operator", password: PASSWORD }, actor: SYSTEM });
  return { ...user, email };
}

const attempt = (email: string, password: string, address: string) =>
  signInWithPassword(db, { credentials: { email, password }, address, userAgent: UA });

async function auditActions(email: string) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(sql`${auditLog.details}->>'email' = ${email}`, sql`${auditLog.action} like 'auth.%'`))
    .orderBy(asc(auditLog.id));
  return rows.map((r) => ({ action: r.action, details: r.details }));
}

describe("signInWithPassword", () => {
  it("signs in with the right password and audits it with address and user agent", async () => {
    const user = await newUser();
    const address = docAddress();
    expect((await attempt(user.email, PASSWORD, address))?.id).toBe(user.id);
    expect(await auditActions(user.email)).toEqual([
      { action: "auth.sign-in", details: { email: user.email, address, userAgent: UA } },
    ]);
  });

  it("after 10 failures for one account from one address, refuses even the right password there, not elsewhere", async () => {
    const user = await newUser();
    const address = docAddress();
    for (let i = 0; i < 10; i++) expect(await attempt(user.email, `wrong-${i}`, address)).toBeNull();
    const refused = attempt(user.email, PASSWORD, address);
    await expect(refused).rejects.toThrow(SignInThrottledError);
    await expect(attempt(user.email, PASSWORD, address)).rejects.toThrow("Too many attempts; try again in 15 minutes");
    // Another address is a different counter.
    expect((await attempt(user.email, PASSWORD, docAddress()))?.id).toBe(user.id);

    const actions = await auditActions(user.email);
    const failed = actions.filter((a) => a.action === "auth.sign-in-failed");
    expect(failed).toHaveLength(10);
    expect(failed[0]?.details).toEqual({ email: user.email, address, userAgent: UA, reason: "wrong-password" });
    expect(actions.filter((a) => a.action === "auth.lockout")).toEqual([
      { action: "auth.lockout", details: { email: user.email, address, userAgent: UA, scope: "account" } },
    ]);
    // Refusals are counted on the row, not audited one by one.
    const [row] = await db
      .select()
      .from(signInThrottle)
      .where(eq(signInThrottle.key, `account:${user.email}|${address}`));
    expect(row).toMatchObject({ failures: 10, refused: 2 });
  });

  it("the block ends after the lockout; a success then clears the account counter", async () => {
    const user = await newUser();
    const address = docAddress();
    for (let i = 0; i < 10; i++) await attempt(user.email, "nope", address);
    await expect(attempt(user.email, PASSWORD, address)).rejects.toThrow(SignInThrottledError);
    const key = `account:${user.email}|${address}`;
    await db
      .update(signInThrottle)
      .set({ windowStart: sql`now() - interval '16 minutes'`, blockedUntil: sql`now() - interval '1 second'` })
      .where(eq(signInThrottle.key, key));
    expect((await attempt(user.email, PASSWORD, address))?.id).toBe(user.id);
    expect(await db.select().from(signInThrottle).where(eq(signInThrottle.key, key))).toEqual([]);
  });

  it("unknown emails are counted and locked like known ones, and run scrypt", async () => {
    const ghost = `ghost-${randomUUID()}@example.com`;
    const address = docAddress();
    for (let i = 0; i < 10; i++) expect(await attempt(ghost, "whatever", address)).toBeNull();
    await expect(attempt(ghost, "whatever", address)).rejects.toThrow("Too many attempts");
    const actions = await auditActions(ghost);
    expect(actions.filter((a) => a.action === "auth.sign-in-failed")[0]?.details).toMatchObject({
      reason: "unknown-email",
    });
    expect(actions.filter((a) => a.action === "auth.lockout")).toHaveLength(1);

    // Timing: an unknown email costs about what a known one with a wrong password costs (both run scrypt).
    const user = await newUser();
    const time = async (email: string) => {
      const start = performance.now();
      await attempt(email, "wrong-password", docAddress());
      return performance.now() - start;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(user.email));
      unknown.push(await time(`nobody-${i}-${randomUUID()}@example.com`));
    }
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it("a looser per-address limit covers every account from that address", async () => {
    setEnv({ SIGNIN_ADDRESS_MAX_FAILURES: "5" });
    const address = newAddress();
    for (let i = 0; i < 5; i++) await attempt(`spray-${i}-${randomUUID()}@example.com`, "Winter2026!", address);
    const user = await newUser();
    await expect(attempt(user.email, PASSWORD, address)).rejects.toThrow("Too many attempts; try again in 15 minutes");
    expect((await attempt(user.email, PASSWORD, docAddress()))?.id).toBe(user.id);
  });

  it("a disabled account is refused even with the right password", async () => {
    const user = await newUser();
    await updateUser(db, { userId: user.id, input: { isDisabled: true }, actor: SYSTEM });
    expect(await attempt(user.email, PASSWORD, docAddress())).toBeNull();
    expect((await auditActions(user.email)).at(-1)).toMatchObject({
      action: "auth.sign-in-failed",
      details: { reason: "disabled" },
    });
  });

  it("housekeeping drops finished rows and keeps blocks in force", async () => {
    const user = await newUser();
    const address = docAddress();
    for (let i = 0; i < 10; i++) await attempt(user.email, "nope", address);
    const isThisRow = eq(signInThrottle.key, `account:${user.email}|${address}`);
    // Moves the row's clock back, runs the housekeeping and returns what is left of the row.
    const pruneAfter = async (change: { updatedAt: SQL } | { blockedUntil: SQL }) => {
      await db.update(signInThrottle).set(change).where(isThisRow);
      await pruneSignInThrottle(db);
      return db.select({ key: signInThrottle.key }).from(signInThrottle).where(isThisRow);
    };
    // Quiet for an hour but still blocked: kept.
    expect(await pruneAfter({ updatedAt: sql`now() - interval '1 hour'` })).toHaveLength(1);
    // The block has run out: dropped.
    expect(await pruneAfter({ blockedUntil: sql`now() - interval '1 minute'` })).toEqual([]);
  });
});

describe("session version", () => {
  it("a password reset, role change or disable raises it; an unchanged role does not", async () => {
    const user = await newUser();
    const version = async () => (await getUserById(db, user.id))!.sessionVersion;
    expect(await version()).toBe(0);
    await updateUser(db, { userId: user.id, input: { role: "operator" }, actor: SYSTEM });
    expect(await version()).toBe(0);
    await updateUser(db, { userId: user.id, input: { role: "viewer" }, actor: SYSTEM });
    expect(await version()).toBe(1);
    await updateUser(db, { userId: user.id, input: { password: "another long password" }, actor: SYSTEM });
    expect(await version()).toBe(2);
    await updateUser(db, { userId: user.id, input: { isDisabled: true }, actor: SYSTEM });
    expect(await version()).toBe(3);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.update"), eq(auditLog.targetId, String(user.id))))
      .orderBy(asc(auditLog.id))
      .limit(1);
    expect(audit?.details).toMatchObject({ sessionsEnded: false });
  });
});
