import "server-only";
import * as clock from "@/lib/time/clock";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { checkApiKeyFormat, checkApiUrl, type Finding } from "@/lib/companies/key-checks";
import type { Db } from "@/lib/db/types";
import { createCalcomHttp } from "./client";
import { getMe, getTeam, listTeamEventTypes } from "./endpoints";
import { CalcomError } from "./errors";

type Check<T> =
  | { ok: true; latencyMs: number; value: T }
  | { ok: false; latencyMs: number; error: ReturnType<CalcomError["toJSON"]> | { message: string } };

async function timed<T>(fn: () => Promise<T>): Promise<Check<T>> {
  const started = clock.nowMs();
  try {
    return { ok: true, value: await fn(), latencyMs: clock.nowMs() - started };
  } catch (error) {
    const detail =
      error instanceof CalcomError
        ? error.toJSON()
        : { message: error instanceof Error ? error.message : String(error) };
    return { ok: false, error: detail, latencyMs: clock.nowMs() - started };
  }
}

/** The guide's test-connection: who the key belongs to, key-format findings, and whether it can list the team's event types. */
export async function testConnection(db: Db, opts: { companyId: number; actor: Actor }) {
  const http = await createCalcomHttp(db, opts.companyId);
  const findings: Finding[] = [
    ...(http.target.apiKey
      ? checkApiKeyFormat(http.target.apiKey, { isProduction: !http.target.isSandbox })
      : [{ level: "error" as const, field: "apiKey" as const, message: "No API key is configured." }]),
    ...(!http.target.isConfigured
      ? [
          {
            level: "error" as const,
            field: "apiUrl" as const,
            message: "Cal.com not configured: enter the company's Cal.com API URL (the built-in sandbox is off).",
          },
        ]
      : http.target.isSandbox
        ? []
        : checkApiUrl(http.target.baseUrl)),
  ];
  const me = await timed(async () => {
    const r = await getMe(http);
    return { id: r.data.id, username: r.data.username ?? null, email: r.data.email, timeZone: r.data.timeZone ?? null };
  });
  const team = await timed(async () => {
    // The team list of event types needs no auth at Cal.com; GET /v2/teams/{id} proves membership.
    const teamRow = await getTeam(http);
    const r = await listTeamEventTypes(http, { bypassCache: true });
    return { teamId: teamRow.data.id, team: teamRow.data.slug ?? teamRow.data.name ?? "", eventTypes: r.data.length };
  });
  await writeAudit(db, {
    actor: opts.actor,
    action: "calcom.test-connection",
    targetType: "company",
    targetId: opts.companyId,
    companyId: opts.companyId,
    details: { me: me.ok, team: team.ok },
  });
  return {
    companyId: opts.companyId,
    baseUrl: http.target.isSandbox ? "sandbox" : http.target.isConfigured ? http.target.baseUrl : "not configured",
    isSandbox: http.target.isSandbox,
    findings,
    me,
    teamAccess: team,
  };
}
