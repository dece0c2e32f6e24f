// GET /api/admin/calcom/sync/runs/{id} – one run with its per-item diff
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { getRun } from "@/lib/sync/runs";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ id: string }>(async ({ params }) => {
  const id = z.coerce.number().int().positive().parse(params.id);
  return { run: await getRun(await getDb(), id) };
}, { role: "viewer" });
