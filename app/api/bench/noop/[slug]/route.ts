// POST /api/bench/noop/{slug} – the do-nothing route at the webhook URL's shape (one dynamic segment), so the ingest
// benchmark compares like with like: Next resolves a dynamic segment per request, which a static route skips.
export { POST } from "../route";

export const dynamic = "force-dynamic";
