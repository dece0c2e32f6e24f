// POST /api/admin/calcom/companies/{id}/test-connection – GET /v2/me, key checks, team access, latency (operator)
import { testConnection } from "@/lib/calcom/test-connection";
import { withAuth } from "@/lib/http/with-auth";
import { idParams } from "@/lib/http/params";

const params = idParams;

export const POST = withAuth<{ id: string }>(
  async ({ actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    return testConnection(db, { companyId: id, actor });
  },
  { role: "operator" },
);
