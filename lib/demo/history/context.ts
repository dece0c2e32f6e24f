import "server-only";
import { inArray } from "drizzle-orm";
import { companies, type Company } from "@/drizzle/schema/core";
import type { Actor } from "@/lib/auth/roles";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import type { Db } from "@/lib/db/types";
import { DEMO_TENANTS } from "../catalog";

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

/** The demo companies that talk to a sandbox (with its key): a company pointed at real Cal.com is never driven. */
export async function sandboxTenants(db: Db): Promise<(TenantState & { baseUrl: string })[]> {
  const rows = await db
    .select()
    .from(companies)
    .where(
      inArray(
        companies.slug,
        DEMO_TENANTS.map((t) => t.slug),
      ),
    );
  return rows.flatMap((company) => {
    const target = resolveCalcomTarget(company);
    return target.isSandbox && target.apiKey
      ? [{ company, apiKey: target.apiKey, bookings: [], baseUrl: target.baseUrl }]
      : [];
  });
}
