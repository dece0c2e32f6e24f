import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { bookingUidHistory } from "@/drizzle/schema/booking";
import type { Appointment } from "@/drizzle/schema/core";
import { webhookRescheduleLinks } from "@/drizzle/schema/webhooks";
import type { DbOrTx } from "@/lib/db/types";

/**
 * One appointment across a reschedule chain (contract §6.3: every reschedule gives the booking a new uid). The chain
 * is kept twice: booking_uid_history (per appointment, written by the booking flow and by webhook processing) and
 * webhook_reschedule_links (old uid -> new uid, as Cal.com's webhooks reported them). Both are read.
 */

const MAX_HOPS = 50;

/** Every uid that, followed forward, may be the current uid of an appointment: X itself and where its links lead. */
export async function forwardUids(db: DbOrTx, uid: string): Promise<string[]> {
  const out = [uid];
  let current = uid;
  for (let i = 0; i < MAX_HOPS; i++) {
    const [link] = await db
      .select({ toUid: webhookRescheduleLinks.toUid })
      .from(webhookRescheduleLinks)
      .where(eq(webhookRescheduleLinks.fromUid, current));
    if (!link || out.includes(link.toUid)) break;
    out.push(link.toUid);
    current = link.toUid;
  }
  return out;
}

/** Appointments whose history names the uid as an earlier one. */
export async function appointmentIdsWithEarlierUid(db: DbOrTx, uid: string): Promise<number[]> {
  const rows = await db
    .select({ id: bookingUidHistory.appointmentId })
    .from(bookingUidHistory)
    .where(eq(bookingUidHistory.fromUid, uid));
  return [...new Set(rows.map((r) => r.id))];
}

async function backwardLinks(db: DbOrTx, uid: string): Promise<string[]> {
  const out: string[] = [];
  let current = uid;
  for (let i = 0; i < MAX_HOPS; i++) {
    const [link] = await db
      .select({ fromUid: webhookRescheduleLinks.fromUid })
      .from(webhookRescheduleLinks)
      .where(eq(webhookRescheduleLinks.toUid, current));
    if (!link || link.fromUid === uid || out.includes(link.fromUid)) break;
    out.unshift(link.fromUid);
    current = link.fromUid;
  }
  return out;
}

export type UidChain = { previousUids: string[]; rescheduledFromUid: string | null };

/** The earlier uids of each appointment, oldest first; rescheduledFromUid is the one its current uid replaced. */
export async function uidChains(
  db: DbOrTx,
  appts: Pick<Appointment, "id" | "calcomBookingUid">[],
): Promise<Map<number, UidChain>> {
  const ids = appts.map((a) => a.id);
  const history = ids.length
    ? await db
        .select()
        .from(bookingUidHistory)
        .where(inArray(bookingUidHistory.appointmentId, ids))
        .orderBy(asc(bookingUidHistory.id))
    : [];
  const out = new Map<number, UidChain>();
  for (const a of appts) {
    const own = history.filter((h) => h.appointmentId === a.id);
    const linked = a.calcomBookingUid ? await backwardLinks(db, a.calcomBookingUid) : [];
    const previousUids = [...new Set([...linked, ...own.map((h) => h.fromUid)])].filter(
      (u) => u !== a.calcomBookingUid,
    );
    const direct = own.filter((h) => h.toUid === a.calcomBookingUid).at(-1)?.fromUid ?? linked.at(-1) ?? null;
    out.set(a.id, { previousUids, rescheduledFromUid: direct });
  }
  return out;
}
