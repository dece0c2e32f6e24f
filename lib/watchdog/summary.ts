import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "@/lib/db/types";
import { WATCHDOG_WINDOW_HOURS } from "./probe";
import { companyIdSchema } from "@/lib/http/params";

/** The overview card: per company, expectations by status over the window, the latest problems and the last subscription check. */

export const watchdogSummaryQuerySchema = z.object({ companyId: companyIdSchema.optional() });

type WatchdogProblem = {
  id: number;
  appointmentId: number | null;
  action: string;
  status: string;
  bookingUid: string;
  actualTrigger: string | null;
  createdAt: string;
  deadlineAt: string;
};
export type WatchdogCompanySummary = {
  companyId: number;
  companyName: string;
  pending: number;
  met: number;
  missed: number;
  wrongTrigger: number;
  unexpected: number;
  /** Median seconds from our change to its webhook, over the met ones. */
  medianLagSeconds: number | null;
  problems: WatchdogProblem[];
  subscription: {
    checkedAt: string;
    isOk: boolean;
    issues: { code: string; message: string }[];
    error: string | null;
  } | null;
};
export type WatchdogSummary = { windowHours: number; companies: WatchdogCompanySummary[] };

export async function getWatchdogSummary(
  db: Db,
  query: z.infer<typeof watchdogSummaryQuerySchema> = {},
): Promise<WatchdogSummary> {
  const companyFilter = query.companyId ? sql`and c.id = ${query.companyId}` : sql``;
  const counts = await queryRows<{
    id: number;
    name: string;
    pending: number;
    met: number;
    missed: number;
    wrong_trigger: number;
    unexpected: number;
    median_lag: number | null;
  }>(
    db,
    sql`select c.id, c.name,
          count(e.id) filter (where e.status = 'pending')::int as pending,
          count(e.id) filter (where e.status = 'met')::int as met,
          count(e.id) filter (where e.status = 'missed')::int as missed,
          count(e.id) filter (where e.status = 'wrong_trigger')::int as wrong_trigger,
          count(e.id) filter (where e.status = 'unexpected')::int as unexpected,
          (percentile_cont(0.5) within group (order by extract(epoch from e.met_at - e.created_at)) filter (where e.status = 'met'))::float8 as median_lag
        from companies c
        left join webhook_expectations e on e.company_id = c.id and e.created_at > now() - make_interval(hours => ${WATCHDOG_WINDOW_HOURS})
        where true ${companyFilter}
        group by c.id, c.name order by c.id`,
  );
  const problems = await queryRows<{
    id: number;
    company_id: number;
    appointment_id: number | null;
    action: string;
    status: string;
    booking_uid: string;
    actual_trigger: string | null;
    created_at: string;
    deadline_at: string;
  }>(
    db,
    sql`select * from (
          select e.*, row_number() over (partition by e.company_id order by e.id desc) as rn from webhook_expectations e
          where e.status in ('missed', 'wrong_trigger', 'unexpected') and e.created_at > now() - make_interval(hours => ${WATCHDOG_WINDOW_HOURS})
        ) p where rn <= 5 order by id desc`,
  );
  const checks = await queryRows<{
    company_id: number;
    checked_at: string;
    is_ok: boolean;
    issues: { code: string; message: string }[];
    error: string | null;
  }>(db, sql`select * from webhook_subscription_checks`);
  const iso = (v: string | Date) => new Date(v).toISOString();
  return {
    windowHours: WATCHDOG_WINDOW_HOURS,
    companies: counts.map((c) => {
      const check = checks.find((k) => k.company_id === c.id);
      return {
        companyId: c.id,
        companyName: c.name,
        pending: c.pending,
        met: c.met,
        missed: c.missed,
        wrongTrigger: c.wrong_trigger,
        unexpected: c.unexpected,
        medianLagSeconds: c.median_lag === null ? null : Math.round(c.median_lag * 10) / 10,
        problems: problems
          .filter((p) => p.company_id === c.id)
          .map((p) => ({
            id: Number(p.id),
            appointmentId: p.appointment_id,
            action: p.action,
            status: p.status,
            bookingUid: p.booking_uid,
            actualTrigger: p.actual_trigger,
            createdAt: iso(p.created_at),
            deadlineAt: iso(p.deadline_at),
          })),
        subscription: check
          ? { checkedAt: iso(check.checked_at), isOk: check.is_ok, issues: check.issues, error: check.error }
          : null,
      };
    }),
  };
}
