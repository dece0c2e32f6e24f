// GET /api/admin/calcom/appointments/{id}/timeline – the booking timeline of an appointment id or a booking uid
// (?format=bundle: the redacted support bundle as a JSON download)
import { NextResponse } from "next/server";
import { z } from "zod";
import { withAuth } from "@/lib/http/with-auth";
import { buildSupportBundle } from "@/lib/timeline/bundle";
import { getTimeline } from "@/lib/timeline/timeline";

export const dynamic = "force-dynamic";

const querySchema = z.object({ format: z.enum(["json", "bundle"]).default("json") });

export const GET = withAuth<{ id: string }>(
  async ({ req, params, db }) => {
    const { format } = querySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    if (format === "json") return getTimeline(db, params.id);
    const { filename, bundle } = await buildSupportBundle(db, params.id);
    return new NextResponse(JSON.stringify(bundle, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  },
  { role: "viewer" },
);
