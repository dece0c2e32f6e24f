// POST /api/admin/calcom/circuit/thresholds – a company's breaker thresholds (admin, audited)
import { circuitThresholdsSchema, updateCircuitThresholds } from "@/lib/calcom/breaker";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async ({ req, actor }) => {
  const input = circuitThresholdsSchema.parse(await readJson(req));
  await updateCircuitThresholds(await getDb(), { ...input, actor });
  return { ok: true };
}, { role: "admin" });
