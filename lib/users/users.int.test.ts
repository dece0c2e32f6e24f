import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditLog, users } from "@/drizzle/schema/core";
import { verifyPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { closeDb, getTestDb } from "@/test/db";
import { createUser, findUserByEmail, getUserById, updateUser } from "./users";

const SYSTEM: Actor = { kind: "system", label: "users.int.test", role: "admin" };
const PASSWORD = "correct horse battery";
/** The audit insert failing on its actor foreign key (wrapped by Drizzle). */
const AUDIT_FK_VIOLATION = { cause: { code: "23503", constraint_name: "audit_log_actor_user_id_users_id_fk" } };

let db: Db;

beforeAll(async () => {
  db = await getTestDb();
});
afterAll(async () => {
  await closeDb();
});

function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID()}@Example.COM`;
}

async function auditFor(userId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, String(userId))))
    .orderBy(asc(auditLog.id));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("createUser", () => {
  it("stores a scrypt hash, not the password, lowercases the email and audits", async () => {
    const email = uniqueEmail();
    const created = await createUser(db, {
      input: { email, role: "operator", password: PASSWORD, name: "  Olga  " },
      actor: SYSTEM,
    });
    expect(created).not.toHaveProperty("passwordHash");
    expect(created).toMatchObject({ email: email.toLowerCase(), name: "Olga", role: "operator", isDisabled: false });

    const row = await getUserById(db, created.id);
    expect(row?.email).toBe(email.toLowerCase());
    expect(row?.passwordHash).not.toBe(PASSWORD);
    expect(row?.passwordHash).not.toContain(PASSWORD);
    expect(row?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(PASSWORD, row!.passwordHash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, row!.passwordHash)).toBe(false);
    expect((await findUserByEmail(db, email))?.id).toBe(created.id);

    const audit = await auditFor(created.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "user.create",
      actorLabel: "users.int.test",
      details: { email: email.toLowerCase(), role: "operator" },
    });
    expect(JSON.stringify(audit[0])).not.toContain(PASSWORD);
  });

  it("refuses a duplicate email (in any case) with CONFLICT and writes nothing", async () => {
    const email = uniqueEmail("dup");
    const first = await createUser(db, { input: { email, role: "viewer", password: PASSWORD }, actor: SYSTEM });
    const error = await rejection(
      createUser(db, { input: { email: email.toUpperCase(), role: "admin", password: PASSWORD }, actor: SYSTEM }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "CONFLICT", status: 409 });
    const rows = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.role).toBe("viewer");
    expect(await auditFor(first.id)).toHaveLength(1);
  });

  it("rejects a short password or a bad email with a ZodError before touching the database", async () => {
    const email = uniqueEmail("short");
    await expect(
      createUser(db, { input: { email, role: "viewer", password: "elevenchars" }, actor: SYSTEM }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      createUser(db, { input: { email: "not-an-email", role: "viewer", password: PASSWORD }, actor: SYSTEM }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await findUserByEmail(db, email)).toBeUndefined();
  });

  it("rolls the user back when its audit row cannot be written", async () => {
    const email = uniqueEmail("atomic");
    // An actor id that matches no user violates audit_log's foreign key, so the audit insert fails inside the transaction.
    const ghost: Actor = { kind: "user", userId: 2_000_000_000, email: "ghost@example.com", role: "admin" };
    await expect(
      createUser(db, { input: { email, role: "viewer", password: PASSWORD }, actor: ghost }),
    ).rejects.toMatchObject(AUDIT_FK_VIOLATION);
    expect(await findUserByEmail(db, email)).toBeUndefined();
  });
});

describe("updateUser", () => {
  async function newUser(role: "viewer" | "operator" | "admin" = "viewer") {
    return createUser(db, { input: { email: uniqueEmail(role), role, password: PASSWORD }, actor: SYSTEM });
  }

  it("changes the role and records it in the audit log", async () => {
    const admin = await newUser("admin");
    const target = await newUser("viewer");
    const actor: Actor = { kind: "user", userId: admin.id, email: admin.email, role: "admin" };
    const updated = await updateUser(db, { userId: target.id, input: { role: "operator" }, actor });
    expect(updated.role).toBe("operator");
    expect((await getUserById(db, target.id))?.role).toBe("operator");

    const audit = await auditFor(target.id);
    expect(audit.map((a) => a.action)).toEqual(["user.create", "user.update"]);
    expect(audit[1]).toMatchObject({
      actorUserId: admin.id,
      actorLabel: admin.email,
      details: { role: "operator", passwordReset: false },
    });
  });

  it("resets the password (new one verifies, old one no longer) and audits without the password", async () => {
    const target = await newUser("operator");
    const before = (await getUserById(db, target.id))!.passwordHash;
    const next = "a brand new passphrase";
    await updateUser(db, { userId: target.id, input: { password: next }, actor: SYSTEM });
    const after = (await getUserById(db, target.id))!;
    expect(after.passwordHash).not.toBe(before);
    expect(after.role).toBe("operator");
    expect(await verifyPassword(next, after.passwordHash)).toBe(true);
    expect(await verifyPassword(PASSWORD, after.passwordHash)).toBe(false);

    const last = (await auditFor(target.id)).at(-1)!;
    expect(last).toMatchObject({ action: "user.update", details: { passwordReset: true } });
    expect(JSON.stringify(last)).not.toContain(next);
  });

  it("writes the change and its audit row in one transaction", async () => {
    const target = await newUser("viewer");
    const ghost: Actor = { kind: "user", userId: 2_000_000_001, email: "ghost@example.com", role: "admin" };
    await expect(updateUser(db, { userId: target.id, input: { role: "admin" }, actor: ghost })).rejects.toMatchObject(
      AUDIT_FK_VIOLATION,
    );
    expect((await getUserById(db, target.id))?.role).toBe("viewer");
    expect((await auditFor(target.id)).map((a) => a.action)).toEqual(["user.create"]);
  });

  it("answers NOT_FOUND for an unknown user and audits nothing", async () => {
    const error = await rejection(updateUser(db, { userId: 2_000_000_002, input: { role: "admin" }, actor: SYSTEM }));
    expect(error).toMatchObject({ code: "NOT_FOUND" });
    expect(await auditFor(2_000_000_002)).toEqual([]);
  });

  it("does not let a user demote or disable themselves", async () => {
    const admin = await newUser("admin");
    const self: Actor = { kind: "user", userId: admin.id, email: admin.email, role: "admin" };
    for (const input of [{ role: "viewer" as const }, { role: "operator" as const }, { isDisabled: true }]) {
      const error = await rejection(updateUser(db, { userId: admin.id, input, actor: self }));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "BAD_REQUEST", message: "You cannot demote or disable your own account" });
    }
    const row = await getUserById(db, admin.id);
    expect(row).toMatchObject({ role: "admin", isDisabled: false });
    expect((await auditFor(admin.id)).map((a) => a.action)).toEqual(["user.create"]);

    // Changing one's own password (or re-stating admin) is allowed.
    await updateUser(db, {
      userId: admin.id,
      input: { role: "admin", password: "my own new passphrase" },
      actor: self,
    });
    expect(await verifyPassword("my own new passphrase", (await getUserById(db, admin.id))!.passwordHash)).toBe(true);
  });

  it("lets another admin disable a user", async () => {
    const admin = await newUser("admin");
    const target = await newUser("admin");
    const actor: Actor = { kind: "user", userId: admin.id, email: admin.email, role: "admin" };
    const updated = await updateUser(db, { userId: target.id, input: { isDisabled: true }, actor });
    expect(updated.isDisabled).toBe(true);
    expect((await auditFor(target.id)).at(-1)?.details).toEqual({
      isDisabled: true,
      passwordReset: false,
      sessionsEnded: true,
    });
  });
});
