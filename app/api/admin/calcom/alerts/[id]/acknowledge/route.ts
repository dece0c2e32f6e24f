// POST /api/admin/calcom/alerts/{id}/acknowledge {note?} – a person has seen the alert (operator, audited)
import { z } from "zod";
import { acknowledgeAlert } from "@/lib/alerts/alerts";
import { getDb } from "@/lib/db/client";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";

const params = z.object({ id: z.coerce.number().int().positive() });
const body = z.object({ note: z.string().trim().max(500).optional() }).strict();

export const POST = withAuth<{ id: string }>(async ({ req, actor, params: raw }) => {
  const { id } = params.parse(raw);
  const input = body.parse(await readOptionalJson(req));
  const alert = await acknowledgeAlert(await getDb(), { id, actor, note: input.note });
  return { alert };
}, { role: "operator" });
