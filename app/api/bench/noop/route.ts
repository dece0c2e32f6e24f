// POST /api/bench/noop – the benchmark's floor: read the body, answer 202. Served only with BENCH_ROUTES=true.
import { getEnv } from "@/lib/config/env";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  if (!getEnv().BENCH_ROUTES) return Response.json({ ok: false, message: "Not found" }, { status: 404 });
  await req.arrayBuffer();
  return Response.json({ ok: true }, { status: 202 });
}
