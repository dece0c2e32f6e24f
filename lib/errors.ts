import { type z, ZodError } from "zod";
import { CalcomError } from "@/lib/calcom/errors";

/** One error type for the app; the code decides the HTTP status (one table, below). */
const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** A company without a Cal.com URL while no sandbox is available. */
  CALCOM_NOT_CONFIGURED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Well-formed, but Cal.com refuses it (or would): e.g. an attendee phone number its rules reject. */
  UNPROCESSABLE: 422,
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
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, details: error.details } },
    };
  }
  if (error instanceof CalcomError) {
    // Cal.com's own answer, classified; an open circuit is "unavailable", anything else an upstream problem.
    const status = error.calCode === "CAL-013" ? 503 : 502;
    return { status, body: { error: { code: error.calCode, message: error.message, details: error.toJSON() } } };
  }
  if (error instanceof ZodError) return toErrorResponse(badRequestFromZod(error), context);
  console.error(`[${context}] unexpected error`, error);
  return { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong. The error was logged." } } };
}

/** The text a stored failure keeps: Cal.com's code and message, an AppError's safe message, else the fallback. */
export function safeErrorMessage(error: unknown, fallback: string): string {
  if (error instanceof CalcomError) return `${error.calCode}: ${error.message}`;
  if (error instanceof AppError) return error.message;
  return fallback;
}

/** The one way a ZodError becomes a 400: a message that names each field at fault ("attendee.email: Invalid email"). */
export function badRequestFromZod(error: ZodError): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const text = issues
    .map((i) => (!i.path || i.message.includes(i.path) ? i.message : `${i.path}: ${i.message}`))
    .join("; ");
  return new AppError("BAD_REQUEST", text || "Invalid input", { issues });
}

/** Parse input at a boundary; invalid input is a readable 400 (see badRequestFromZod). */
export function parseOrBadRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequestFromZod(parsed.error);
  return parsed.data;
}
