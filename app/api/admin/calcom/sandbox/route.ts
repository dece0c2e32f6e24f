// GET /api/admin/calcom/sandbox – the built-in sandbox's faults and request counters
import { getSandboxPanelState } from "@/lib/calcom-sandbox/admin";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ db }) => getSandboxPanelState(db), { role: "viewer" });
