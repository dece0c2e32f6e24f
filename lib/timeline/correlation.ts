/**
 * How a Cal.com call is tied to a booking (api_calls.correlation): the booking flow and recovery tag calls with the
 * appointment's idempotency key, cancel and reschedule with the booking uid they act on.
 */
export const correlationForKey = (idempotencyKey: string) => `idem:${idempotencyKey}`;
export const correlationForUid = (uid: string) => `uid:${uid}`;
