// PATCH /api/admin/calcom/sandbox/faults – inject faults into the sandbox (operator, audited)
import { faultsPatchSchema } from "@/lib/calcom-sandbox/faults";
import { updateSandboxFaults } from "@/lib/calcom-sandbox/admin";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const PATCH = withAuth(
  async ({ req, actor, db }) => {
    const patch = faultsPatchSchema.parse(await readJson(req));
    return { faults: await updateSandboxFaults(db, { patch, actor }) };
  },
  { role: "operator" },
);
