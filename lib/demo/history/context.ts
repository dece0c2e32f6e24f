import "server-only";
import type { Company } from "@/drizzle/schema/core";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";

/** What the replay keeps between steps: the demo companies and the bookings their callers still hold. */
export type TenantState = {
  company: Company;
  apiKey: string;
  bookings: { uid: string; appointmentId: number; start: Date }[];
  rotation?: { oldSecretId: number; newSecret: string };
};
export type HistoryContext = { db: Db; tenants: Map<string, TenantState>; counts: Record<string, number> };

export const PHONE: Actor = { kind: "system", label: "phone platform", role: "operator" };
export const OPERATOR: Actor = { kind: "system", label: "demo: ops on call", role: "admin" };
export const SCHEDULE: Actor = { kind: "system", label: "sync-schedule", role: "operator" };
export const TZ = "Europe/Berlin";

export function bump(ctx: HistoryContext, key: string, by = 1): void {
  ctx.counts[key] = (ctx.counts[key] ?? 0) + by;
}
