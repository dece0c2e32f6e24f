// GET /api/admin/calcom/fallback-mode – fallback mode per company (?companyId) (viewer)
// POST /api/admin/calcom/fallback-mode – switch it {companyId, isEnabled, minutes? (default 120), reason} (operator, audited)
import { z } from "zod";
import { listFallbackModes, setFallbackMode, setFallbackModeSchema } from "@/lib/booking/fallback-mode";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const companyId = z.coerce.number().int().positive().optional().parse(req.nextUrl.searchParams.get("companyId") ?? undefined);
  return { modes: await listFallbackModes(await getDb(), { companyId }) };
}, { role: "viewer" });

export const POST = withAuth(async ({ req, actor }) => {
  const input = setFallbackModeSchema.parse(await readJson(req));
  return setFallbackMode(await getDb(), input, actor);
}, { role: "operator" });
