// POST /api/admin/calcom/circuit/force-open – hold a company's circuit open until a time {companyId, until, reason}
import { forceOpenCircuit, forceOpenCircuitSchema } from "@/lib/calcom/breaker";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = forceOpenCircuitSchema.parse(await readJson(req));
    await forceOpenCircuit(db, { ...input, actor });
    return { ok: true };
  },
  { role: "operator" },
);
