// POST /api/admin/calcom/bookings/outbox/{id}/retry – send a dead or waiting notification again now (operator, audited)
import { deliverOutbox, retryOutboxMessage } from "@/lib/outbox/outbox";
import { withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ actor, params, db }) => {
    const id = idSchema.parse(params.id);
    await retryOutboxMessage(db, { id, actor });
    return deliverOutbox(db, { ids: [id] });
  },
  { role: "operator" },
);
