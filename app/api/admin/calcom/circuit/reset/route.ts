// POST /api/admin/calcom/circuit/reset – close a company's circuit {companyId, reason} (operator, audited)
import { resetCircuit, type ResetCircuitInput } from "@/lib/calcom/breaker";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as ResetCircuitInput;
    await resetCircuit(db, { ...body, actor });
    return { ok: true };
  },
  { role: "operator" },
);
