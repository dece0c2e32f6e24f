// GET /api/admin/calcom/sync/review – services pending review, snoozed, missing or inactive (?companyId)
import { withAuth } from "@/lib/http/with-auth";
import { listReview, reviewQuerySchema } from "@/lib/sync/review";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = reviewQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return { items: await listReview(db, query) };
  },
  { role: "viewer" },
);
