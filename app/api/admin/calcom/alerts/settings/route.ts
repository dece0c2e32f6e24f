// GET /api/admin/calcom/alerts/settings?companyId – thresholds (viewer); PUT {companyId, ...thresholds} (admin, audited)
import { z } from "zod";
import { getAlertThresholds, updateAlertThresholds, updateAlertThresholdsSchema } from "@/lib/alerts/settings";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

const companyQuery = z.object({ companyId: idSchema });

export const GET = withAuth(
  async ({ req, db }) => {
    const { companyId } = companyQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
    await getCompanyOrThrow(db, companyId);
    return { companyId, thresholds: await getAlertThresholds(db, companyId) };
  },
  { role: "viewer" },
);

export const PUT = withAuth(
  async ({ req, actor, db }) => {
    const raw = z
      .object({ companyId: z.number().int().positive() })
      .loose()
      .parse(await readJson(req));
    const { companyId, ...rest } = raw;
    const input = updateAlertThresholdsSchema.parse(rest);
    return { companyId, thresholds: await updateAlertThresholds(db, { companyId, input, actor }) };
  },
  { role: "admin" },
);
