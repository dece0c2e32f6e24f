import { z } from "zod";
import { isValidTimeZone } from "@/lib/time/zoned";
import { serviceRefSchema } from "./resolve-service";

/** Inputs of the booking flow, shared by the admin routes, the phone platform's routes and the CLI. */

const E164 = /^\+[1-9]\d{6,14}$/;

/** "+49 30 1234-567", "0049 30 1234567" → "+49301234567"; a number without country code stays invalid. */
export function normalizePhone(raw: string): string {
  const compact = raw.trim().replace(/[\s\-()./]/g, "");
  return compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
}

export const attendeeSchema = z
  .object({
    name: z.string().trim().min(1, "attendee.name is required").max(200),
    email: z
      .string()
      .trim()
      .max(320)
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.email("attendee.email is not a valid email address").optional()),
    phone: z
      .string()
      .max(40)
      .optional()
      .transform((v) => (v && v.trim() ? normalizePhone(v) : undefined))
      .refine((v) => v === undefined || E164.test(v), {
        message: "attendee.phone must be an international number with country code (E.164), e.g. +4930123456",
      }),
    timeZone: z
      .string()
      .trim()
      .refine(isValidTimeZone, "attendee.timeZone must be an IANA time zone such as Europe/Berlin")
      .default("Europe/Berlin"),
    language: z.string().trim().min(2).max(10).optional(),
  })
  .refine((a) => a.email || a.phone, {
    message: "The attendee needs an email address or a phone number",
    path: ["email"],
  });

const instant = z.iso
  .datetime({ offset: true, message: "start must be an ISO 8601 time with offset, e.g. 2025-10-22T12:00:00Z" })
  .transform((v) => new Date(v));

export const bookInputSchema = z.object({
  companyId: z.number().int().positive(),
  service: serviceRefSchema,
  start: instant,
  attendee: attendeeSchema,
  /** Same key, same booking: a repeated request returns the first one's result. */
  idempotencyKey: z.string().trim().min(8, "idempotencyKey must have at least 8 characters").max(200).optional(),
  /** Answers to the event type's extra booking fields, by slug. */
  bookingFieldsResponses: z.record(z.string(), z.unknown()).optional(),
  notes: z.string().max(2000).optional(),
});
export type BookInput = z.input<typeof bookInputSchema>;

export const cancelInputSchema = z.object({
  /** From the path; its shape is checked first, with a message for a numeric id (lib/booking/manage.ts). */
  uid: z.string(),
  reason: z.string().trim().min(1).max(500).default("Cancelled via Cal.com Diagnostics"),
  /** Only needed for a booking the app has no appointment for. */
  companyId: z.number().int().positive().optional(),
});

export const rescheduleInputSchema = z.object({
  uid: z.string(),
  start: instant,
  reason: z.string().trim().max(500).optional(),
  companyId: z.number().int().positive().optional(),
});
