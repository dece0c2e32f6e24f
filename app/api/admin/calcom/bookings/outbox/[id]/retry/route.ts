// POST /api/admin/calcom/bookings/outbox/{id}/retry – send a dead or waiting notification again now (operator, audited)
import { z } from "zod";
import { deliverOutbox, retryOutboxMessage } from "@/lib/outbox/outbox";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ id: string }>(async ({ actor, params }) => {
  const id = z.coerce.number().int().positive().parse(params.id);
  const db = await getDb();
  await retryOutboxMessage(db, id, actor);
  return deliverOutbox(db, { ids: [id] });
}, { role: "operator" });
