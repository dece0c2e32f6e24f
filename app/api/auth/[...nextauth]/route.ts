// GET|POST /api/auth/* – next-auth sign-in, sign-out and session endpoints
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

const handler = (req: Request, ctx: unknown) => NextAuth(getAuthOptions())(req as never, ctx as never);
export { handler as GET, handler as POST };
