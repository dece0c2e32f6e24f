import { eq, inArray, or } from "drizzle-orm";
import { sandboxWebhooks, type SandboxWebhook } from "@/drizzle/schema/sandbox";
import { requireAuthUser, success, type SandboxContext } from "./http";
import { getUserTeams } from "./store";
import { WEBHOOK_VERSION } from "./webhooks";

/**
 * GET /v2/webhooks (contract §4.1): the subscriptions the key's user manages, as Cal.com's WebhookOutputDto
 * ({id, subscriberUrl, triggers, active, payloadTemplate, secret}). The sandbox keeps its subscribers per team, so the
 * user's list also holds the webhooks of the teams they belong to; the sandbox never stores a payload template.
 */
function webhookOutput(w: SandboxWebhook) {
  return {
    id: w.id,
    subscriberUrl: w.subscriberUrl,
    triggers: w.triggers,
    active: w.active,
    payloadTemplate: null,
    version: WEBHOOK_VERSION,
    ...(w.secret ? { secret: w.secret } : {}),
    ...(w.teamId !== null ? { teamId: w.teamId } : {}),
    ...(w.userId !== null ? { userId: w.userId } : {}),
  };
}

export async function handleListWebhooks(ctx: SandboxContext): Promise<Response> {
  const user = requireAuthUser(ctx, "list");
  const teamIds = (await getUserTeams(ctx.db, user.id)).map((t) => t.id);
  const scope = teamIds.length
    ? or(eq(sandboxWebhooks.userId, user.id), inArray(sandboxWebhooks.teamId, teamIds))
    : eq(sandboxWebhooks.userId, user.id);
  const rows = await ctx.db.select().from(sandboxWebhooks).where(scope).orderBy(sandboxWebhooks.id);
  return success(rows.map(webhookOutput));
}
