// POST /api/admin/calcom/circuit/reset – close a company's circuit {companyId, reason} (operator, audited)
import { resetCircuit, resetCircuitSchema } from "@/lib/calcom/breaker";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = resetCircuitSchema.parse(await readJson(req));
    await resetCircuit(db, { ...input, actor });
    return { ok: true };
  },
  { role: "operator" },
);
