// POST /api/admin/calcom/sandbox/reset – clear every injected fault (operator, audited)
import { clearSandboxFaults } from "@/lib/calcom-sandbox/admin";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async ({ actor, db }) => ({ faults: await clearSandboxFaults(db, { actor }) }), {
  role: "operator",
});
