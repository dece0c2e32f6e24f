import "server-only";
import { appointments } from "@/drizzle/schema/core";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/types";
import { latestUid } from "./appointment-state";

/**
 * Contract §8.5: Cal.com signs scheduled MEETING_STARTED / MEETING_ENDED only when it still finds the webhook row;
 * otherwise they come without X-Cal-Signature-256. Such a delivery is not refused: it is stored with the verdict
 * "unverified" (shown in the log) for the company it names, and processing applies it only where the company opted in
 * (apply-meeting.ts). Anything else without a signature stays a rejected "missing_signature".
 */

export type UnverifiedMeeting = { companyId: number; detail: string; json: Record<string, unknown> };

const MEETING_TRIGGERS = new Set(["MEETING_STARTED", "MEETING_ENDED"]);

function parseMeeting(bytes: Buffer): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(bytes.toString("utf8"));
    if (!json || typeof json !== "object" || Array.isArray(json)) return null;
    const body = json as Record<string, unknown>;
    return typeof body.triggerEvent === "string" &&
      MEETING_TRIGGERS.has(body.triggerEvent) &&
      typeof body.uid === "string"
      ? body
      : null;
  } catch {
    return null;
  }
}

/** The company of an unsigned meeting event: the URL's company, else the one whose appointment holds its booking. */
export async function findUnverifiedMeeting(
  db: DbOrTx,
  bytes: Buffer,
  pinnedCompanyId: number | null,
): Promise<UnverifiedMeeting | null> {
  const json = parseMeeting(bytes);
  if (!json) return null;
  const trigger = String(json.triggerEvent);
  if (pinnedCompanyId !== null)
    return {
      companyId: pinnedCompanyId,
      detail: `Unsigned ${trigger} kept as unverified (Cal.com omits the signature when it no longer finds its webhook row)`,
      json,
    };
  const uid = await latestUid(db, String(json.uid));
  const [row] = await db
    .select({ companyId: appointments.companyId })
    .from(appointments)
    .where(eq(appointments.calcomBookingUid, uid))
    .limit(1);
  if (!row) return null;
  return {
    companyId: row.companyId,
    detail: `Unsigned ${trigger} kept as unverified for the company of booking ${uid} (Cal.com omits the signature when it no longer finds its webhook row)`,
    json,
  };
}
