// GET /api/health/calcom – Cal.com integration health for monitors; no session, no secrets
import { NextResponse } from "next/server";
import { getCalcomHealth } from "@/lib/calcom/health";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getCalcomHealth(await getDb());
  return NextResponse.json(health, { status: health.status === "down" ? 503 : 200 });
}
