// GET /api/admin/calcom/circuit – breaker state, failures, timeline and thresholds per company (?companyId)
import { z } from "zod";
import { getCircuitOverview } from "@/lib/calcom/circuit-overview";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";
const query = z.object({ companyId: z.coerce.number().int().positive().optional() });

export const GET = withAuth(async ({ req }) => {
  const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
  return { circuits: await getCircuitOverview(await getDb(), { companyId }) };
}, { role: "viewer" });
