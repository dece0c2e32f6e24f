// POST /api/bench/noop/{slug} – the do-nothing route at the webhook URL's shape (one dynamic segment), so the ingest
// benchmark compares like with like: Next matches a dynamic segment on every request, which a static route skips.
import { benchNoop } from "@/lib/bench/noop";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return benchNoop(req);
}
