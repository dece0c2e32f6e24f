// /api/calcom-sandbox/* – the built-in Cal.com API v2 sandbox (and its /_control switches), served from the app's database
import { isSandboxServed } from "@/lib/calcom-sandbox/enabled";
import { handleSandboxRequest } from "@/lib/calcom-sandbox/router";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const BASE_PATH = "/api/calcom-sandbox";

async function handle(req: Request): Promise<Response> {
  // Off unless enabled (lib/calcom-sandbox/enabled.ts): a deployment with DATABASE_URL does not serve it by default.
  if (!isSandboxServed()) return new Response("Not Found", { status: 404 });
  return handleSandboxRequest(req, { db: await getDb(), basePath: BASE_PATH });
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
