import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, users } from "@/drizzle/schema/core";
import { verifyPassword } from "@/lib/auth/password";
import { resetEnvCache } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { ensureAdminLogin } from "./admin-login";

// ADMIN_EMAIL + ADMIN_PASSWORD at start: creates or updates the admin, but never re-enables one someone disabled.
let db: Db;

beforeAll(async () => {
  db = await getTestDb();
});
afterEach(() => {
  delete process.env.ADMIN_EMAIL;
  delete process.env.ADMIN_PASSWORD;
  resetEnvCache();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await closeDb();
});

function useAdminEnv(email: string, password: string) {
  process.env.ADMIN_EMAIL = email;
  process.env.ADMIN_PASSWORD = password;
  resetEnvCache();
}

const userByEmail = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0]!;

describe("ensureAdminLogin", () => {
  it("creates the admin, and resets role and password of an enabled one", async () => {
    const email = `boot-${randomUUID()}@example.com`;
    useAdminEnv(email, "first-password-0001");
    await ensureAdminLogin(db);
    expect(await userByEmail(email)).toMatchObject({ role: "admin", isDisabled: false });
    await db.update(users).set({ role: "viewer" }).where(eq(users.email, email));
    useAdminEnv(email, "second-password-0002");
    await ensureAdminLogin(db);
    const row = await userByEmail(email);
    expect(row.role).toBe("admin");
    expect(await verifyPassword("second-password-0002", row.passwordHash)).toBe(true);
  });

  it("refuses to re-enable a disabled admin: logs why, audits the refusal, changes nothing", async () => {
    const email = `boot-${randomUUID()}@example.com`;
    useAdminEnv(email, "first-password-0001");
    await ensureAdminLogin(db);
    await db.update(users).set({ isDisabled: true, role: "viewer" }).where(eq(users.email, email));
    const before = await userByEmail(email);

    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    useAdminEnv(email, "attacker-chosen-password-0003");
    await ensureAdminLogin(db);

    const after = await userByEmail(email);
    expect(after).toMatchObject({ isDisabled: true, role: "viewer", passwordHash: before.passwordHash });
    expect(await verifyPassword("attacker-chosen-password-0003", after.passwordHash)).toBe(false);
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining(`ADMIN_EMAIL ${email} belongs to a disabled user: it was NOT re-enabled`),
    );
    const refusals = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.bootstrap-admin.refused"), eq(auditLog.targetId, String(after.id))));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.details).toEqual({ reason: "user is disabled" });
  });
});
