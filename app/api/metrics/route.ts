// GET /api/metrics – Prometheus text format, read from PostgreSQL at scrape time (METRICS_TOKEN or OPS_API_TOKEN bearer)
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import { assertMetricsToken, renderMetrics } from "@/lib/prometheus/scrape";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest): Promise<Response> {
  try {
    assertMetricsToken(req.headers.get("authorization"));
    const { contentType, text } = await renderMetrics(await getDb());
    return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    const { status, body } = toErrorResponse(error, "GET /api/metrics");
    return NextResponse.json(body, {
      status,
      headers: status === 401 ? { "www-authenticate": 'Bearer realm="metrics"' } : {},
    });
  }
}
