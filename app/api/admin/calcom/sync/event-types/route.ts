// GET /api/admin/calcom/sync/event-types?companyId – the event-type mirror with linked services (relink, import)
import { withAuth } from "@/lib/http/with-auth";
import { eventTypesQuerySchema, listMirror } from "@/lib/sync/import";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const { companyId } = eventTypesQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return { eventTypes: await listMirror(db, companyId) };
  },
  { role: "viewer" },
);
