// POST /api/admin/calcom/alerts/evaluate – evaluate every alert condition now instead of at the next minute (operator)
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { notifyAlertOpened } from "@/lib/alerts/notify";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async () => {
  const result = await evaluateAlerts(await getDb(), { onOpened: notifyAlertOpened });
  return result;
}, { role: "operator" });
