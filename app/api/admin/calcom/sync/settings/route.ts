// GET /api/admin/calcom/sync/settings?companyId – schedule and safety rules; PUT changes them (admin, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { getSyncSettings, updateSyncSettings, updateSyncSettingsSchema } from "@/lib/sync/settings";

export const dynamic = "force-dynamic";
const query = z.object({ companyId: z.coerce.number().int().positive() });

export const GET = withAuth(async ({ req }) => {
  const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
  return { settings: await getSyncSettings(await getDb(), companyId) };
}, { role: "viewer" });

export const PUT = withAuth(async ({ req, actor }) => {
  const input = updateSyncSettingsSchema.parse(await readJson(req));
  return { settings: await updateSyncSettings(await getDb(), input, actor) };
}, { role: "admin" });
