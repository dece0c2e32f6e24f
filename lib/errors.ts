import { ZodError } from "zod";
import { CalcomError } from "@/lib/calcom/errors";

/** One error type for the app; the code decides the HTTP status (one table, below). */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM: 502,
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    /** Safe to show to the user. */
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Maps any thrown value to a status and a body that is safe to send. Unknown errors are logged, not echoed. */
export function toErrorResponse(error: unknown, context: string): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  if (error instanceof CalcomError) {
    // Cal.com's own answer, classified; an open circuit is "unavailable", anything else an upstream problem.
    const status = error.calCode === "CAL-013" ? 503 : 502;
    return { status, body: { error: { code: error.calCode, message: error.message, details: error.toJSON() } } };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    // Name the field and the rule ("silenceThresholdMinutes: Too small: expected number to be >=5"), never just "Invalid input".
    const message = `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`;
    return { status: 400, body: { error: { code: "BAD_REQUEST", message, details: { issues } } } };
  }
  console.error(`[${context}] unexpected error`, error);
  return { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong. The error was logged." } } };
}
