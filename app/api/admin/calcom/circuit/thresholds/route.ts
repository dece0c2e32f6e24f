// POST /api/admin/calcom/circuit/thresholds – a company's breaker thresholds (admin, audited)
import { type CircuitThresholdsInput, updateCircuitThresholds } from "@/lib/calcom/breaker";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as CircuitThresholdsInput;
    await updateCircuitThresholds(db, { ...body, actor });
    return { ok: true };
  },
  { role: "admin" },
);
