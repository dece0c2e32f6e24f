/** How long the app waits for Cal.com (shared with the panels, which show it while a request runs). */
export const CALCOM_TIMEOUT_MS = 10_000;
/** Reads (GET) are tried this many times with backoff; a booking POST is never retried. */
export const MAX_READ_ATTEMPTS = 3;
