import "server-only";
import * as clock from "@/lib/time/clock";
import { and, eq } from "drizzle-orm";
import { bookingSlotClaims } from "@/drizzle/schema/booking";
import { appointments } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";

/**
 * Slot claims: at most `capacity` live booking requests per (company, event type, start) across every app instance,
 * by primary key (one row per seat). A claim whose appointment was cancelled or refused meanwhile (e.g. by a webhook)
 * is stale and taken over.
 */

const DEAD_STATUSES = new Set(["cancelled", "rejected"]);

export type ClaimResult = { ok: true; seat: number } | { ok: false; heldByAppointmentIds: number[] };
type Claim = { companyId: number; eventTypeId: number; startsAt: Date; appointmentId: number; capacity?: number };

export async function claimSlot(tx: DbOrTx, claim: Claim): Promise<ClaimResult> {
  const capacity = Math.max(1, claim.capacity ?? 1);
  const slot = and(
    eq(bookingSlotClaims.companyId, claim.companyId),
    eq(bookingSlotClaims.eventTypeId, claim.eventTypeId),
    eq(bookingSlotClaims.startsAt, claim.startsAt),
  );
  const held = await tx
    .select({
      seat: bookingSlotClaims.seat,
      appointmentId: bookingSlotClaims.appointmentId,
      status: appointments.status,
    })
    .from(bookingSlotClaims)
    .leftJoin(appointments, eq(appointments.id, bookingSlotClaims.appointmentId))
    .where(slot);
  const mine = held.find((h) => h.appointmentId === claim.appointmentId);
  if (mine) return { ok: true, seat: mine.seat };
  const { appointmentId, companyId, eventTypeId, startsAt } = claim;
  for (let seat = 0; seat < capacity; seat++) {
    const [inserted] = await tx
      .insert(bookingSlotClaims)
      .values({ companyId, eventTypeId, startsAt, seat, appointmentId })
      .onConflictDoNothing()
      .returning();
    if (inserted) return { ok: true, seat };
  }
  // Every seat is taken: take over one whose appointment is dead (locked, so two takers cannot both win it).
  for (const h of held) {
    if (h.status && !DEAD_STATUSES.has(h.status)) continue;
    const [taken] = await tx
      .update(bookingSlotClaims)
      .set({ appointmentId, createdAt: clock.now() })
      .where(and(slot, eq(bookingSlotClaims.seat, h.seat), eq(bookingSlotClaims.appointmentId, h.appointmentId)))
      .returning();
    if (taken) return { ok: true, seat: h.seat };
  }
  // Read again: a concurrent request that won the seat was not visible in `held` (it committed after that read).
  const holders = await tx
    .select({ appointmentId: bookingSlotClaims.appointmentId })
    .from(bookingSlotClaims)
    .where(slot);
  return { ok: false, heldByAppointmentIds: holders.map((h) => h.appointmentId) };
}

export async function releaseSlotClaims(
  tx: DbOrTx,
  appointmentId: number,
  except?: { eventTypeId: number; startsAt: Date },
): Promise<void> {
  const claims = await tx.select().from(bookingSlotClaims).where(eq(bookingSlotClaims.appointmentId, appointmentId));
  for (const c of claims) {
    if (except && c.eventTypeId === except.eventTypeId && c.startsAt.getTime() === except.startsAt.getTime()) continue;
    await tx
      .delete(bookingSlotClaims)
      .where(
        and(
          eq(bookingSlotClaims.companyId, c.companyId),
          eq(bookingSlotClaims.eventTypeId, c.eventTypeId),
          eq(bookingSlotClaims.startsAt, c.startsAt),
          eq(bookingSlotClaims.seat, c.seat),
        ),
      );
  }
}
