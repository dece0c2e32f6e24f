// POST /api/webhooks/calcom – receive a Cal.com delivery; the company is the one whose webhook secret matches
import { handleWebhookPost } from "@/lib/webhooks/receive";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return handleWebhookPost(req);
}
