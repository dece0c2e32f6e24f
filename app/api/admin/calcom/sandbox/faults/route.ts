// PATCH /api/admin/calcom/sandbox/faults – inject faults into the sandbox (operator, audited)
import { faultsPatchSchema } from "@/lib/calcom-sandbox/faults";
import { updateSandboxFaults } from "@/lib/calcom-sandbox/admin";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const PATCH = withAuth(async ({ req, actor }) => {
  const patch = faultsPatchSchema.parse(await readJson(req));
  return { faults: await updateSandboxFaults(await getDb(), { patch, actor }) };
}, { role: "operator" });
