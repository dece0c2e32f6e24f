// POST /api/admin/calcom/sandbox/reset – clear every injected fault (operator, audited)
import { clearSandboxFaults } from "@/lib/calcom-sandbox/admin";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async ({ actor }) => ({ faults: await clearSandboxFaults(await getDb(), { actor }) }), { role: "operator" });
