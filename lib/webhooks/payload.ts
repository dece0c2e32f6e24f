import { z } from "zod";
import type { AppointmentStatus } from "@/drizzle/schema/core";
import { sha256Hex } from "./verify";

/**
 * Cal.com webhook bodies (shared/calcom-v2.md §4.2): booking triggers wrap the booking in `payload` next to a send-time
 * `createdAt`; MEETING_STARTED / MEETING_ENDED are flat (the booking row beside `triggerEvent`, `createdAt` = booking
 * creation). Schemas are loose: Cal.com adds fields freely and we store the raw body anyway.
 */

const person = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  timeZone: z.string().nullish(),
  phoneNumber: z.string().nullish(),
});

export const bookingPayloadSchema = z.looseObject({
  uid: z.string().min(1),
  bookingId: z.number().int().nullish(),
  eventTypeId: z.number().int().nullish(),
  title: z.string().nullish(),
  startTime: z.string().min(1),
  endTime: z.string().min(1),
  status: z.string().nullish(),
  organizer: z
    .looseObject({ id: z.number().nullish(), email: z.string().nullish(), timeZone: z.string().nullish() })
    .nullish(),
  attendees: z.array(person).nullish(),
  rescheduleUid: z.string().nullish(),
  rescheduleId: z.number().nullish(),
  cancellationReason: z.string().nullish(),
  requestReschedule: z.boolean().nullish(),
  rejectionReason: z.string().nullish(),
  /** Echoes the booking's metadata: the booking flow's idempotencyKey and appointmentId (contract §8.2). */
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type BookingPayload = z.infer<typeof bookingPayloadSchema>;

export const meetingBodySchema = z.looseObject({
  triggerEvent: z.enum(["MEETING_STARTED", "MEETING_ENDED"]),
  uid: z.string().min(1),
  id: z.number().int().nullish(),
  eventTypeId: z.number().int().nullish(),
  attendees: z.array(z.looseObject({ email: z.string().nullish(), noShow: z.boolean().nullish() })).nullish(),
});

/** The webhook's uppercase status to ours, explicitly; an unknown value is an error, not a guess. */
export const CALCOM_STATUS_MAP: Record<string, AppointmentStatus> = {
  ACCEPTED: "confirmed",
  PENDING: "pending",
  AWAITING_HOST: "pending",
  CANCELLED: "cancelled",
  REJECTED: "rejected",
};

export type DeliveryMeta = {
  triggerEvent: string | null;
  bookingUid: string | null;
  bookingId: number | null;
  createdAt: string | null;
};

/** Best effort, for the log columns (rejected deliveries too): never throws. */
export function extractMeta(json: unknown): DeliveryMeta {
  const meta: DeliveryMeta = { triggerEvent: null, bookingUid: null, bookingId: null, createdAt: null };
  if (!json || typeof json !== "object" || Array.isArray(json)) return meta;
  const root = json as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v.slice(0, 200) : null);
  const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : null);
  meta.triggerEvent = str(root.triggerEvent);
  meta.createdAt = str(root.createdAt);
  const inner = root.payload && typeof root.payload === "object" ? (root.payload as Record<string, unknown>) : root;
  meta.bookingUid = str(inner.uid) ?? str(inner.bookingUid);
  meta.bookingId = int(inner.bookingId) ?? int(inner.id);
  return meta;
}

/** Same trigger + booking uid + createdAt + body hash = the same event (a repeat of one delivery). */
export function dedupeKey(opts: { companyId: number | null; meta: DeliveryMeta; bodySha256: string }): string {
  const parts = [
    opts.companyId ?? "-",
    opts.meta.triggerEvent ?? "-",
    opts.meta.bookingUid ?? "-",
    opts.meta.createdAt ?? "-",
    opts.bodySha256,
  ];
  return sha256Hex(parts.join("|"));
}

/** Cal.com mixes `...Z`, `...+00:00` and `...000Z`: parse, never string-compare. */
/** A delivery's rescheduleUid (the booking it replaces), read from the parsed body before any schema check. */
export function rescheduleUidOf(json: Record<string, unknown>): string | null {
  const payload = (json.payload ?? {}) as { rescheduleUid?: unknown };
  return typeof payload.rescheduleUid === "string" ? payload.rescheduleUid : null;
}

export function parseInstant(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new PermanentProcessingError(`${field} is not a valid date: ${value}`);
  return date;
}

/** An error that retrying cannot fix (bad data): the delivery is marked failed without pg-boss retries. */
export class PermanentProcessingError extends Error {
  override name = "PermanentProcessingError";
}
