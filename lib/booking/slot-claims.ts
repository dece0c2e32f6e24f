import "server-only";
import { and, eq } from "drizzle-orm";
import { bookingSlotClaims } from "@/drizzle/schema/booking";
import { appointments } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";

/**
 * Slot claims: one live booking request per (company, event type, start) across every app instance, by primary key.
 * A claim whose appointment was cancelled or refused meanwhile (e.g. by a webhook) is stale and taken over.
 */

const DEAD_STATUSES = new Set(["cancelled", "rejected"]);

export type ClaimResult = { ok: true } | { ok: false; heldByAppointmentId: number };

export async function claimSlot(tx: DbOrTx, claim: { companyId: number; eventTypeId: number; startsAt: Date; appointmentId: number }): Promise<ClaimResult> {
  const [inserted] = await tx.insert(bookingSlotClaims).values(claim).onConflictDoNothing().returning();
  if (inserted) return { ok: true };
  const key = and(eq(bookingSlotClaims.companyId, claim.companyId), eq(bookingSlotClaims.eventTypeId, claim.eventTypeId), eq(bookingSlotClaims.startsAt, claim.startsAt));
  const [held] = await tx
    .select({ appointmentId: bookingSlotClaims.appointmentId, status: appointments.status })
    .from(bookingSlotClaims)
    .leftJoin(appointments, eq(appointments.id, bookingSlotClaims.appointmentId))
    .where(key)
    .for("update", { of: bookingSlotClaims });
  if (!held) return claimSlot(tx, claim);
  if (held.appointmentId === claim.appointmentId) return { ok: true };
  if (held.status && !DEAD_STATUSES.has(held.status)) return { ok: false, heldByAppointmentId: held.appointmentId };
  await tx.update(bookingSlotClaims).set({ appointmentId: claim.appointmentId, createdAt: new Date() }).where(key);
  return { ok: true };
}

export async function releaseSlotClaims(tx: DbOrTx, appointmentId: number, except?: { eventTypeId: number; startsAt: Date }): Promise<void> {
  const claims = await tx.select().from(bookingSlotClaims).where(eq(bookingSlotClaims.appointmentId, appointmentId));
  for (const c of claims) {
    if (except && c.eventTypeId === except.eventTypeId && c.startsAt.getTime() === except.startsAt.getTime()) continue;
    await tx
      .delete(bookingSlotClaims)
      .where(and(eq(bookingSlotClaims.companyId, c.companyId), eq(bookingSlotClaims.eventTypeId, c.eventTypeId), eq(bookingSlotClaims.startsAt, c.startsAt)));
  }
}
