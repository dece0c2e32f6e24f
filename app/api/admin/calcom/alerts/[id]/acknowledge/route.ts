// POST /api/admin/calcom/alerts/{id}/acknowledge {note?} – a person has seen the alert (operator, audited)
import { z } from "zod";
import { acknowledgeAlert } from "@/lib/alerts/alerts";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";
import { idParams } from "@/lib/http/params";

const params = idParams;
const body = z.object({ note: z.string().trim().max(500).optional() }).strict();

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    const input = body.parse(await readOptionalJson(req));
    const alert = await acknowledgeAlert(db, { id, actor, note: input.note });
    return { alert };
  },
  { role: "operator" },
);
