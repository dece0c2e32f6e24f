// GET /api/admin/calcom/circuit – breaker state, failures, timeline and thresholds per company (?companyId)
import { z } from "zod";
import { getCircuitOverview } from "@/lib/calcom/circuit-overview";
import { withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";
const query = z.object({ companyId: idSchema.optional() });

export const GET = withAuth(
  async ({ req, db }) => {
    const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
    return { circuits: await getCircuitOverview(db, { companyId }) };
  },
  { role: "viewer" },
);
