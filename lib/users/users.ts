import "server-only";
import * as clock from "@/lib/time/clock";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ROLES, users, type User } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import { hashPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "isDisabled" | "createdAt">;

const email = z.email("Enter a valid email address").transform((v) => v.toLowerCase());
const password = z.string().min(12, "Passwords need at least 12 characters").max(200);

export const createUserSchema = z.object({
  email,
  name: z.string().trim().max(100).optional(),
  role: z.enum(ROLES),
  password,
});
export const updateUserSchema = z.object({
  role: z.enum(ROLES).optional(),
  isDisabled: z.boolean().optional(),
  password: password.optional(),
});

function toPublic(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, isDisabled: u.isDisabled, createdAt: u.createdAt };
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
  return (await db.select().from(users).orderBy(asc(users.id))).map(toPublic);
}

export async function findUserByEmail(db: Db, address: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, address.toLowerCase()));
  return row;
}

export async function getUserById(db: Db, id: number): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function createUser(
  db: Db,
  opts: { input: z.infer<typeof createUserSchema>; actor: Actor },
): Promise<PublicUser> {
  const input = createUserSchema.parse(opts.input);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name ?? null, role: input.role, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!row) throw new AppError("CONFLICT", `A user with email ${input.email} already exists`);
    await writeAudit(tx, {
      actor: opts.actor,
      action: "user.create",
      targetType: "user",
      targetId: row.id,
      details: { email: row.email, role: row.role },
    });
    return toPublic(row);
  });
}

export async function updateUser(
  db: Db,
  opts: { userId: number; input: z.infer<typeof updateUserSchema>; actor: Actor },
): Promise<PublicUser> {
  const input = updateUserSchema.parse(opts.input);
  if (
    opts.actor.kind === "user" &&
    opts.actor.userId === opts.userId &&
    ((input.role && input.role !== "admin") || input.isDisabled)
  ) {
    throw new AppError("BAD_REQUEST", "You cannot demote or disable your own account");
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, opts.userId)).for("update");
    if (!before) throw new AppError("NOT_FOUND", "User not found");
    // A password reset, role change or disable ends the user's sessions (lib/auth/session.ts compares the version).
    const endsSessions =
      Boolean(passwordHash) ||
      (input.role !== undefined && input.role !== before.role) ||
      (input.isDisabled === true && !before.isDisabled);
    const [row] = await tx
      .update(users)
      .set({
        role: input.role,
        isDisabled: input.isDisabled,
        passwordHash,
        sessionVersion: endsSessions ? sql`${users.sessionVersion} + 1` : undefined,
        updatedAt: clock.now(),
      })
      .where(eq(users.id, opts.userId))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "User not found");
    const changed = {
      role: input.role,
      isDisabled: input.isDisabled,
      passwordReset: Boolean(passwordHash),
      sessionsEnded: endsSessions,
    };
    await writeAudit(tx, {
      actor: opts.actor,
      action: "user.update",
      targetType: "user",
      targetId: row.id,
      details: changed,
    });
    return toPublic(row);
  });
}

/** ADMIN_EMAIL / ADMIN_PASSWORD at start: create the admin, or bring its password and role up to date. */
/**
 * Creates the bootstrap admin or brings it back to role admin with this password. A user someone disabled is never
 * silently re-enabled: the update is skipped (in the same statement, so a concurrent start cannot race it), audited,
 * and reported as "refused-disabled".
 */
export async function upsertAdmin(
  db: Db,
  opts: { email: string; password: string; actor: Actor },
): Promise<"saved" | "refused-disabled"> {
  const passwordHash = await hashPassword(opts.password);
  const email = opts.email.toLowerCase();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ email, role: "admin", passwordHash, name: "Administrator" })
      .onConflictDoUpdate({
        target: users.email,
        set: { role: "admin", passwordHash, updatedAt: clock.now() },
        setWhere: eq(users.isDisabled, false),
      })
      .returning({ id: users.id });
    if (!row) {
      const [disabled] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      await writeAudit(tx, {
        actor: opts.actor,
        action: "user.bootstrap-admin.refused",
        targetType: "user",
        targetId: disabled?.id,
        details: { reason: "user is disabled" },
      });
      return "refused-disabled";
    }
    await writeAudit(tx, { actor: opts.actor, action: "user.bootstrap-admin", targetType: "user", targetId: row.id });
    return "saved";
  });
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}
