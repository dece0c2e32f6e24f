// GET /api/admin/calcom/slots – debug a company's slots (?companyId, ?serviceId|?eventTypeId, ?from, ?to, ?timeZone, ?at, ?duration)
import { withAuth } from "@/lib/http/with-auth";
import { debugSlots, debugSlotsSchema } from "@/lib/slots/debugger";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, actor, db }) => {
    const input = debugSlotsSchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return debugSlots(db, { input, actor, source: actor.kind === "user" ? "panel" : "api" });
  },
  { role: "viewer" },
);
