import { isValidPhoneNumber } from "libphonenumber-js/max";
import isEmail from "validator/lib/isEmail";

/**
 * Cal.com's own rules for the attendee of POST /v2/bookings (contract §8.1), in one place for the sandbox (which
 * refuses like Cal.com) and the booking flow (which checks before calling, so most refusals never leave the app).
 * Source: packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts (calcom/cal.com):
 * `@Validate((v) => !v || isValidPhoneNumber(v))` and `@Validate((v) => !v || isEmail(v))` (class-validator's
 * isEmail, i.e. validator.js with default options). The contract names libphonenumber-js/max, the strictest metadata.
 */

export const CALCOM_PHONE_MESSAGE = "Invalid phone number format. Please use international format.";
export const CALCOM_EMAIL_MESSAGE = "Invalid email format";

/** A number can be E.164-shaped and still be refused, e.g. +49 followed by 0 (+4901512345678). */
export function isCalcomValidPhone(value: string): boolean {
  return isValidPhoneNumber(value);
}

export function isCalcomValidEmail(value: string): boolean {
  return isEmail(value);
}
