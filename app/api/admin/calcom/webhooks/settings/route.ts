// PUT /api/admin/calcom/webhooks/settings – per-company receiver settings (unsigned allowed, unsigned MEETING_* applied, silence threshold, payload retention)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { updateWebhookSettings, updateWebhookSettingsSchema } from "@/lib/webhooks/settings";

export const dynamic = "force-dynamic";

export const PUT = withAuth(
  async ({ req, actor, db }) => {
    const input = updateWebhookSettingsSchema.parse(await readJson(req));
    return updateWebhookSettings(db, { input, actor });
  },
  { role: "admin" },
);
