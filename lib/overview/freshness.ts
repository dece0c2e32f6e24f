import "server-only";
import type { Health } from "./overview";

/** When something last happened (a successful sync, a verified webhook) against when it was expected. */
export type Freshness = {
  lastAt: string | null;
  ageMinutes: number | null;
  expectedMinutes: number | null;
  health: Health;
  summary: string;
};

export function ageLabel(minutes: number): string {
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

export function minutesSince(iso: string | Date | null, now: Date): number | null {
  if (!iso) return null;
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000));
}
