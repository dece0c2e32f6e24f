// GET /api/health/calcom – Cal.com integration health for monitors; counts without a session, names with one
import { NextResponse } from "next/server";
import { getSessionActor, getTokenActor } from "@/lib/auth/session";
import { getCalcomHealth, getCalcomHealthDetails } from "@/lib/calcom/health";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const actor = getTokenActor(req.headers.get("authorization")) ?? (await getSessionActor());
  const db = await getDb();
  const health = actor ? await getCalcomHealthDetails(db) : await getCalcomHealth(db);
  return NextResponse.json(health, { status: health.status === "down" ? 503 : 200 });
}
