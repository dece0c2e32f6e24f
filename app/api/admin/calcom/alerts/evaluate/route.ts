// POST /api/admin/calcom/alerts/evaluate – evaluate every alert condition now instead of at the next minute (operator)
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { notifyAlertOpened } from "@/lib/alerts/notify";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ db }) => {
    const result = await evaluateAlerts(db, { onOpened: notifyAlertOpened });
    return result;
  },
  { role: "operator" },
);
