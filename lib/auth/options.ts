import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import type { Role } from "@/drizzle/schema/core";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { findUserByEmail } from "@/lib/users/users";
import { verifyPassword } from "./password";

const credentialsSchema = z.object({ email: z.email(), password: z.string().min(1).max(200) });

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getEnv().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await findUserByEmail(await getDb(), parsed.data.email);
          if (!user || user.isDisabled) return null;
          if (!(await verifyPassword(parsed.data.password, user.passwordHash))) return null;
          return { id: String(user.id), email: user.email, name: user.name ?? user.email, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.role = (user as { role?: Role }).role;
        return token;
      },
      session({ session, token }) {
        if (session.user) Object.assign(session.user, { id: token.sub, role: token.role });
        return session;
      },
    },
  };
}
