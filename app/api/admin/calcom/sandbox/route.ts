// GET /api/admin/calcom/sandbox – the built-in sandbox's faults and request counters
import { getSandboxPanelState } from "@/lib/calcom-sandbox/admin";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => getSandboxPanelState(await getDb()), { role: "viewer" });
