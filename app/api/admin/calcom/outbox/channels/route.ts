// GET /api/admin/calcom/outbox/channels – each notification channel's delivery method, last delivery and last error
import { withAuth } from "@/lib/http/with-auth";
import { getOutboxChannelStatus } from "@/lib/outbox/channels";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ db }) => ({ channels: await getOutboxChannelStatus(db) }), { role: "viewer" });
