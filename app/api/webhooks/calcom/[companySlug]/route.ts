// POST /api/webhooks/calcom/{companySlug} – receive a Cal.com delivery for one pinned company
import { handleWebhookPost } from "@/lib/webhooks/receive";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ companySlug: string }> }): Promise<Response> {
  return handleWebhookPost(req, (await ctx.params).companySlug);
}
