// GET /api/admin/calcom/sync/settings?companyId – schedule and safety rules; PUT changes them (admin, audited)
import { z } from "zod";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { getSyncSettings, updateSyncSettings, updateSyncSettingsSchema } from "@/lib/sync/settings";
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
    const input = updateSyncSettingsSchema.parse(await readJson(req));
    return { settings: await updateSyncSettings(db, input, actor) };
  },
  { role: "admin" },
);
