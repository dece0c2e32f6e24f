// POST /api/calcom/availability – free slots for {companyId, service (id or name), date | from+to, timeZone?} (phone platform, OPS_API_TOKEN)
import { getAvailability } from "@/lib/booking/availability";
import { withOpsToken } from "@/lib/booking/token-route";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/with-auth";

export const POST = withOpsToken(async ({ req }) => getAvailability(await getDb(), await readJson(req)));
