import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { Role } from "@/drizzle/schema/core";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { clientAddress, clientUserAgent } from "@/lib/http/client-address";
import { signInWithPassword, SignInThrottledError } from "./sign-in";

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getEnv().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          const headers = req.headers ?? {};
          const attempt = { credentials: raw, address: clientAddress(headers), userAgent: clientUserAgent(headers) };
          // next-auth hands a thrown error's message to the browser: only the throttle's is meant for it.
          const user = await signInWithPassword(await getDb(), attempt).catch((error: unknown) => {
            if (error instanceof SignInThrottledError) throw error;
            console.error("[auth] sign-in failed unexpectedly", error);
            throw new Error("Sign-in is unavailable; try again shortly");
          });
          if (!user) return null;
          return {
            id: String(user.id),
            email: user.email,
            name: user.name ?? user.email,
            role: user.role,
            sessionVersion: user.sessionVersion,
          };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const signedIn = user as { role?: Role; sessionVersion?: number };
          token.role = signedIn.role;
          token.sv = signedIn.sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) Object.assign(session.user, { id: token.sub, role: token.role, sv: token.sv ?? 0 });
        return session;
      },
    },
  };
}
