import "server-only";
import { timingSafeEqual } from "node:crypto";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import type { Role } from "@/drizzle/schema/core";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { getUserById } from "@/lib/users/users";
import { getAuthOptions } from "./options";
import { hasRole, type Actor } from "./roles";

/** The signed-in user, re-read from the database so a disabled account or a changed role takes effect at once. */
export async function getSessionActor(): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions());
  const claims = session?.user as { id?: string; sv?: number } | undefined;
  const id = Number(claims?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  const user = await getUserById(await getDb(), id);
  // A password reset, role change or disable raises sessionVersion, which ends every session signed before it.
  if (!user || user.isDisabled || user.sessionVersion !== Number(claims?.sv ?? 0)) return null;
  return { kind: "user", userId: user.id, email: user.email, role: user.role };
}

/** Bearer OPS_API_TOKEN: automation (schedulers, CLI) acts as an operator. */
export function getTokenActor(authorization: string | null): Actor | null {
  const expected = getEnv().OPS_API_TOKEN;
  if (!expected || !authorization?.startsWith("Bearer ")) return null;
  const given = Buffer.from(authorization.slice(7).trim());
  const want = Buffer.from(expected);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
  return { kind: "token", label: "ops-token", role: "operator" };
}

/** Pages: redirect to sign-in when signed out; show the forbidden page when the role is too low. */
export async function requireUser(role: Role = "viewer"): Promise<Actor & { kind: "user" }> {
  const actor = await getSessionActor();
  if (!actor || actor.kind !== "user") redirect("/login");
  if (!hasRole(actor.role, role)) redirect("/admin/calcom-diagnostics/forbidden");
  return actor;
}
