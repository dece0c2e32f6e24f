// GET /api/admin/calcom/fallback-mode – fallback mode per company (?companyId) (viewer)
// POST /api/admin/calcom/fallback-mode – switch it {companyId, isEnabled, minutes? (default 120), reason} (operator, audited)
import { listFallbackModes, setFallbackMode, type SetFallbackModeInput } from "@/lib/booking/fallback-mode";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const companyId = idSchema.optional().parse(req.nextUrl.searchParams.get("companyId") ?? undefined);
    return { modes: await listFallbackModes(db, { companyId }) };
  },
  { role: "viewer" },
);

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as SetFallbackModeInput;
    return setFallbackMode(db, { ...body, actor });
  },
  { role: "operator" },
);
