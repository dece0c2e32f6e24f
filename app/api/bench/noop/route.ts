// POST /api/bench/noop – the benchmark's floor: read the body, answer 202. Served only with BENCH_ROUTES=true.
import { benchNoop } from "@/lib/bench/noop";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return benchNoop(req);
}
