import "server-only";
import { getEnv } from "@/lib/config/env";

/**
 * The ingest benchmark's floor (scripts/bench/ingest.ts): read the body, answer 202. Served only with BENCH_ROUTES=true,
 * at /api/bench/noop and, with the webhook URL's shape, at /api/bench/noop/{slug}.
 */
export async function benchNoop(req: Request): Promise<Response> {
  if (!getEnv().BENCH_ROUTES) return Response.json({ ok: false, message: "Not found" }, { status: 404 });
  await req.arrayBuffer();
  return Response.json({ ok: true }, { status: 202 });
}
