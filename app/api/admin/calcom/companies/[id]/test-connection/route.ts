// POST /api/admin/calcom/companies/{id}/test-connection – GET /v2/me, key checks, team access, latency (operator)
import { z } from "zod";
import { testConnection } from "@/lib/calcom/test-connection";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

const params = z.object({ id: z.coerce.number().int().positive() });

export const POST = withAuth<{ id: string }>(async ({ actor, params: raw }) => {
  const { id } = params.parse(raw);
  return testConnection(await getDb(), { companyId: id, actor });
}, { role: "operator" });
