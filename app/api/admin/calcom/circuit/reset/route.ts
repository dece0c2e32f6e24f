// POST /api/admin/calcom/circuit/reset – close a company's circuit {companyId, reason} (operator, audited)
import { resetCircuit, resetCircuitSchema } from "@/lib/calcom/breaker";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async ({ req, actor }) => {
  const input = resetCircuitSchema.parse(await readJson(req));
  await resetCircuit(await getDb(), { ...input, actor });
  return { ok: true };
}, { role: "operator" });
