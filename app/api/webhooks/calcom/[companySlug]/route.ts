// POST /api/webhooks/calcom/{companySlug} – receive a Cal.com delivery for one pinned company
import { getDb } from "@/lib/db/client";
import { receiveWebhook } from "@/lib/webhooks/receive";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ companySlug: string }> }): Promise<Response> {
  const { companySlug } = await ctx.params;
  try {
    return await receiveWebhook(await getDb(), req, { companySlug: decodeURIComponent(companySlug).slice(0, 100) });
  } catch (error) {
    // Not stored: answer non-2xx so a retrying sender (Cal.com's tasker path) tries again.
    // The cause only: a failed query's message would carry the body (personal data) into the log.
    const cause =
      error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message.split("\n")[0])
        : String(error);
    console.error(`[webhooks] could not store a delivery: ${cause}`);
    return Response.json({ ok: false, message: "The delivery could not be stored; try again" }, { status: 503 });
  }
}
