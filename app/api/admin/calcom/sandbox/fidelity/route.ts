// GET|PUT /api/admin/calcom/sandbox/fidelity – which real Cal.com behaviours the sandbox models (operator, audited)
import { getSandboxFidelity, updateSandboxFidelity, updateFidelitySchema } from "@/lib/calcom-sandbox/fidelity-admin";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => ({ fidelity: await getSandboxFidelity(await getDb()) }), { role: "viewer" });

export const PUT = withAuth(async ({ req, actor }) => {
  const input = updateFidelitySchema.parse(await readJson(req));
  return { fidelity: await updateSandboxFidelity(await getDb(), { input, actor }) };
}, { role: "operator" });
