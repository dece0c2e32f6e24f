// POST /api/admin/calcom/circuit/force-open – hold a company's circuit open until a time {companyId, until, reason}
import { forceOpenCircuit, forceOpenCircuitSchema } from "@/lib/calcom/breaker";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async ({ req, actor }) => {
  const input = forceOpenCircuitSchema.parse(await readJson(req));
  await forceOpenCircuit(await getDb(), { ...input, actor });
  return { ok: true };
}, { role: "operator" });
