// POST /api/admin/calcom/circuit/thresholds – a company's breaker thresholds (admin, audited)
import { circuitThresholdsSchema, updateCircuitThresholds } from "@/lib/calcom/breaker";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = circuitThresholdsSchema.parse(await readJson(req));
    await updateCircuitThresholds(db, { ...input, actor });
    return { ok: true };
  },
  { role: "admin" },
);
