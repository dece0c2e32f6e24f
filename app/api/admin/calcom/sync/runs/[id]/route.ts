// GET /api/admin/calcom/sync/runs/{id} – one run with its per-item diff
import { withAuth } from "@/lib/http/with-auth";
import { getRun } from "@/lib/sync/runs";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ id: string }>(
  async ({ params, db }) => {
    const id = idSchema.parse(params.id);
    return { run: await getRun(db, id) };
  },
  { role: "viewer" },
);
