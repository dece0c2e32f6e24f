// GET /api/admin/calcom/bookings/outbox – staff notifications and their delivery (?companyId, ?state, ?topic, ?cursor, ?limit) (viewer)
import { listOutbox, listOutboxQuerySchema } from "@/lib/outbox/outbox";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const { items, nextCursor } = await listOutbox(
      db,
      listOutboxQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)),
    );
    // Webhook URLs may carry tokens in their query: show the origin and path only.
    const shown = items.map((m) => ({
      ...m,
      recipient: m.channel === "webhook" ? m.recipient.replace(/\?.*$/, "?…") : m.recipient,
    }));
    return { items: shown, nextCursor };
  },
  { role: "viewer" },
);
