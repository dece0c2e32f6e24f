// GET /api/admin/calcom/sync/settings?companyId – schedule and safety rules; PUT changes them (admin, audited)
import { z } from "zod";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { getSyncSettings, updateSyncSettings, type UpdateSyncSettingsInput } from "@/lib/sync/settings";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";
const query = z.object({ companyId: idSchema });

export const GET = withAuth(
  async ({ req, db }) => {
    const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
    return { settings: await getSyncSettings(db, companyId) };
  },
  { role: "viewer" },
);

export const PUT = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as UpdateSyncSettingsInput;
    return { settings: await updateSyncSettings(db, { ...body, actor }) };
  },
  { role: "admin" },
);
