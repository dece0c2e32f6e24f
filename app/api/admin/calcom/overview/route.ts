// GET /api/admin/calcom/overview?companyId – per company: API, circuit, sync and webhook freshness, manual queue, alerts
import { z } from "zod";
import { withAuth } from "@/lib/http/with-auth";
import { getOverview } from "@/lib/overview/overview";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

const query = z.object({ companyId: idSchema.optional() });

export const GET = withAuth(
  async ({ req, db }) => {
    const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
    return { companies: await getOverview(db, { companyId }) };
  },
  { role: "viewer" },
);
