import { isValidTimeZone } from "@/lib/time/zoned";
import { SandboxHttpError } from "./http";

/** Parsing helpers that mirror how NestJS pipes and class-validator read request values. */

/** NestJS ParseIntPipe on a path parameter. */
export function parseIntParam(value: string | undefined): number {
  if (!value || !/^-?\d+$/.test(value))
    throw new SandboxHttpError(400, "Validation failed (numeric string is expected)");
  return Number(value);
}

/** JavaScript parseInt: leading digits count, the rest is ignored; null for NaN. */
export function jsParseInt(value: string | null | undefined): number | null {
  if (value == null) return null;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : null;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An ISO 8601 date or date-time; without an offset it is read as UTC, as on Cal.com's servers. */
export function parseIsoDate(value: unknown): Date | null {
  if (typeof value !== "string" || !ISO_RE.test(value)) return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) && value.length > 10;
  const normalised =
    value.length === 10 ? `${value}T00:00:00Z` : hasZone ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`;
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const isDateOnly = (value: string) => value.length === 10;

export function isTimeZone(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && isValidTimeZone(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Metadata rule of the create input: ≤50 keys, keys ≤40 chars, string values ≤500 chars, no nested values. */
export function isValidMetadata(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const entries = Object.entries(value);
  if (entries.length > 50) return false;
  return entries.every(([key, item]) => {
    if (key.length > 40) return false;
    if (typeof item === "string") return item.length <= 500;
    return typeof item === "number" || typeof item === "boolean";
  });
}
