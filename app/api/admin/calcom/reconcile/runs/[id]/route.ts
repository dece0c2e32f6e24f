// GET /api/admin/calcom/reconcile/runs/{id} – one run and a page of its items (?class, status, cursor, limit)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { getReconcileRun, listItemsQuerySchema } from "@/lib/reconcile/queries";

export const dynamic = "force-dynamic";
const params = z.object({ id: z.coerce.number().int().positive() });

export const GET = withAuth<{ id: string }>(async ({ req, params: raw }) => {
  const { id } = params.parse(raw);
  return getReconcileRun(await getDb(), id, listItemsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)));
}, { role: "viewer" });
