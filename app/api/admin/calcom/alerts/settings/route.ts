// GET /api/admin/calcom/alerts/settings?companyId – thresholds (viewer); PUT {companyId, ...thresholds} (admin, audited)
import { z } from "zod";
import { getAlertThresholds, updateAlertThresholds, updateAlertThresholdsSchema } from "@/lib/alerts/settings";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

const companyQuery = z.object({ companyId: z.coerce.number().int().positive() });

export const GET = withAuth(async ({ req }) => {
  const { companyId } = companyQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const db = await getDb();
  await getCompanyOrThrow(db, companyId);
  return { companyId, thresholds: await getAlertThresholds(db, companyId) };
}, { role: "viewer" });

export const PUT = withAuth(async ({ req, actor }) => {
  const raw = z.object({ companyId: z.number().int().positive() }).loose().parse(await readJson(req));
  const { companyId, ...rest } = raw;
  const input = updateAlertThresholdsSchema.parse(rest);
  return { companyId, thresholds: await updateAlertThresholds(await getDb(), { companyId, input, actor }) };
}, { role: "admin" });
