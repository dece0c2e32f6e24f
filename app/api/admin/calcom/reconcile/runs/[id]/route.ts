// GET /api/admin/calcom/reconcile/runs/{id} – one run and a page of its items (?class, status, cursor, limit)
import { withAuth } from "@/lib/http/with-auth";
import { getReconcileRun, listItemsQuerySchema } from "@/lib/reconcile/queries";
import { idParams } from "@/lib/http/params";

export const dynamic = "force-dynamic";
const params = idParams;

export const GET = withAuth<{ id: string }>(
  async ({ req, params: raw, db }) => {
    const { id } = params.parse(raw);
    return getReconcileRun(db, id, listItemsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)));
  },
  { role: "viewer" },
);
