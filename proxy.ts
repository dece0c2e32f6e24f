import { withAuth } from "next-auth/middleware";

// Only redirects signed-out browsers to /login; every page and route still checks the session and role itself.
export default withAuth({ pages: { signIn: "/login" } });

export const config = { matcher: ["/admin/:path*"] };
