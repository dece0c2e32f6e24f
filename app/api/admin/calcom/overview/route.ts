// GET /api/admin/calcom/overview?companyId – per company: API, circuit, sync and webhook freshness, manual queue, alerts
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { getOverview } from "@/lib/overview/overview";

export const dynamic = "force-dynamic";

const query = z.object({ companyId: z.coerce.number().int().positive().optional() });

export const GET = withAuth(async ({ req }) => {
  const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
  return { companies: await getOverview(await getDb(), { companyId }) };
}, { role: "viewer" });
