import "server-only";
import type { Db } from "@/lib/db/types";
import type { Health } from "./overview";

/** When something last happened (a successful sync, a verified webhook) against when it was expected. */
export type Freshness = { lastAt: string | null; ageMinutes: number | null; expectedMinutes: number | null; health: Health; summary: string };

export type FreshnessSource = {
  kind: "sync" | "webhooks";
  load: (db: Db, companyIds: number[], now: Date) => Promise<Map<number, Freshness>>;
};

const sources: FreshnessSource[] = [];

/** The sync and webhook modules provide their freshness (see lib/overview/sources.ts). */
export function getFreshnessSources(): FreshnessSource[] {
  return sources;
}

export function registerFreshnessSource(source: FreshnessSource): void {
  const existing = sources.findIndex((s) => s.kind === source.kind);
  if (existing >= 0) sources[existing] = source;
  else sources.push(source);
}

export function ageLabel(minutes: number): string {
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}
