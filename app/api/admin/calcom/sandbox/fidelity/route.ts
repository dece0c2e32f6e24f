// GET|PUT /api/admin/calcom/sandbox/fidelity – which real Cal.com behaviours the sandbox models (operator, audited)
import { getSandboxFidelity, updateSandboxFidelity, updateFidelitySchema } from "@/lib/calcom-sandbox/fidelity-admin";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ db }) => ({ fidelity: await getSandboxFidelity(db) }), { role: "viewer" });

export const PUT = withAuth(
  async ({ req, actor, db }) => {
    const input = updateFidelitySchema.parse(await readJson(req));
    return { fidelity: await updateSandboxFidelity(db, { input, actor }) };
  },
  { role: "operator" },
);
