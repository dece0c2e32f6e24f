// POST /api/admin/calcom/circuit/force-open – hold a company's circuit open until a time {companyId, until, reason}
import { forceOpenCircuit, type ForceOpenCircuitInput } from "@/lib/calcom/breaker";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as ForceOpenCircuitInput;
    await forceOpenCircuit(db, { ...body, actor });
    return { ok: true };
  },
  { role: "operator" },
);
