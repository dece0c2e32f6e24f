import "server-only";
import { z } from "zod";
import type { User } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/types";
import { findUserByEmail } from "@/lib/users/users";
import { hashPassword, verifyPassword } from "./password";
import { clearSignInFailures, findSignInBlock, recordSignInFailure, throttleMessage } from "./throttle";

const credentialsSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });

/** Thrown when throttled; next-auth hands its message to the login form as `error`. */
export class SignInThrottledError extends Error {
  override name = "SignInThrottledError";
}

export type SignInAttempt = { credentials: unknown; address: string; userAgent: string };

const signInActor = { kind: "system", label: "sign-in", role: "viewer" } as const;

// Unknown emails and disabled accounts still pay for one scrypt, so timing does not tell which emails exist.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  return dummyHash;
}

/**
 * Email and password sign-in with throttling and an audit entry for every success, failure and lockout.
 * Returns the user, or null for wrong credentials; throws SignInThrottledError while a block is in force.
 */
export async function signInWithPassword(db: Db, attempt: SignInAttempt): Promise<User | null> {
  const parsed = credentialsSchema.safeParse(attempt.credentials);
  const rawEmail = (attempt.credentials as { email?: unknown } | undefined)?.email;
  const email = (parsed.success ? parsed.data.email : typeof rawEmail === "string" ? rawEmail : "")
    .toLowerCase()
    .slice(0, 254);
  const target = { email, address: attempt.address };
  const context = { email, address: attempt.address, userAgent: attempt.userAgent };

  const block = await findSignInBlock(db, target);
  if (block) throw new SignInThrottledError(throttleMessage(block));

  const user = parsed.success ? await findUserByEmail(db, email) : undefined;
  const isValid =
    parsed.success && (await verifyPassword(parsed.data.password, user?.passwordHash ?? (await getDummyHash())));
  if (user && isValid && !user.isDisabled) {
    await db.transaction(async (tx) => {
      await clearSignInFailures(tx, target);
      await writeAudit(tx, {
        actor: { kind: "user", userId: user.id, email: user.email, role: user.role },
        action: "auth.sign-in",
        targetType: "user",
        targetId: user.id,
        details: context,
      });
    });
    return user;
  }

  const reason = !parsed.success
    ? "malformed"
    : !user
      ? "unknown-email"
      : user.isDisabled
        ? "disabled"
        : "wrong-password";
  const locked = await db.transaction(async (tx) => {
    const scopes = await recordSignInFailure(tx, target);
    await writeAudit(tx, {
      actor: signInActor,
      action: "auth.sign-in-failed",
      targetType: "user",
      targetId: user?.id,
      details: { ...context, reason },
    });
    for (const scope of scopes) {
      await writeAudit(tx, {
        actor: signInActor,
        action: "auth.lockout",
        targetType: "user",
        targetId: user?.id,
        details: { ...context, scope },
      });
    }
    return scopes;
  });
  if (locked.length) console.warn(`[auth] sign-in locked (${locked.join(", ")}) for ${email} from ${attempt.address}`);
  return null;
}
