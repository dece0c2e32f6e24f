// POST /api/admin/calcom/outbox/test – send a test notification through a channel now ({channel, to?}) (admin, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { sendTestNotification, sendTestNotificationSchema } from "@/lib/outbox/test-notification";

export const dynamic = "force-dynamic";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = sendTestNotificationSchema.parse(await readJson(req));
    return sendTestNotification(db, input, actor);
  },
  { role: "admin" },
);
