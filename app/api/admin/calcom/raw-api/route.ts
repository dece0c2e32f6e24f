// GET /api/admin/calcom/raw-api – one GET to the company's Cal.com API (?companyId, path, params as JSON, version) (operator, audited)
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { withAuth } from "@/lib/http/with-auth";
import { rawApiSchema, runRawGet } from "@/lib/raw-api/raw-api";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

const query = z.object({
  companyId: idSchema,
  path: z.string(),
  params: z.string().max(2000).optional(),
  version: z.string().optional(),
});

function parseParams(raw: string | undefined): unknown {
  if (!raw?.trim()) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError("BAD_REQUEST", 'params must be a JSON object, e.g. {"eventTypeId":2026361}');
  }
}

export const GET = withAuth(
  async ({ req, actor, db }) => {
    const q = query.parse(Object.fromEntries(req.nextUrl.searchParams));
    const input = rawApiSchema.parse({
      companyId: q.companyId,
      path: q.path,
      params: parseParams(q.params),
      version: q.version || undefined,
    });
    return runRawGet(db, { input, actor });
  },
  { role: "operator" },
);
