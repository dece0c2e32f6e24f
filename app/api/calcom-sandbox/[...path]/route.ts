// /api/calcom-sandbox/* – the built-in Cal.com API v2 sandbox (and its /_control switches), served from the app's database
import { getDb } from "@/lib/db/client";
import { handleSandboxRequest } from "@/lib/calcom-sandbox/router";

export const dynamic = "force-dynamic";

const BASE_PATH = "/api/calcom-sandbox";

async function handle(req: Request): Promise<Response> {
  // Deployments that talk to the real Cal.com can switch the sandbox off entirely.
  if (process.env.CALCOM_SANDBOX_ENABLED === "false") return new Response("Not Found", { status: 404 });
  return handleSandboxRequest(req, { db: await getDb(), basePath: BASE_PATH });
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
