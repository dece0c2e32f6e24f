import type { Command } from "commander";
import { and, eq, isNotNull } from "drizzle-orm";
import { services } from "@/drizzle/schema/core";
import { createCalcomHttp, type CalcomHttp } from "@/lib/calcom/client";
import { getMe, getSlots, getTeam, listBookings, listTeamEventTypes } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { listSyncableCompanies } from "@/lib/sync/sync";
import { zonedDateKey, zonedToUtc } from "@/lib/time/zoned";
import { registerAuth } from "./auth";
import {
  emit,
  percentile,
  resolveCompany,
  startProgress,
  UsageError,
  type CliContext,
  type ExitCode,
  type Run,
} from "./runtime";

const describe = (e: unknown) =>
  e instanceof CalcomError
    ? `${e.calCode} ${e.status ?? ""} ${e.message}`.replace(/\s+/g, " ")
    : e instanceof Error
      ? e.message
      : String(e);

/** list-event-types [--company] [--fresh]: the team's event types and the service each one backs. */
async function listEventTypes(ctx: CliContext, opts: { company?: string; fresh?: boolean }): Promise<ExitCode> {
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  const http = await createCalcomHttp(db, company.id);
  const r = await listTeamEventTypes(http, { bypassCache: Boolean(opts.fresh) });
  const mapped = await db
    .select({
      id: services.id,
      name: services.name,
      eventTypeId: services.calcomEventTypeId,
      isActive: services.isActive,
    })
    .from(services)
    .where(eq(services.companyId, company.id));
  const byEt = new Map(mapped.filter((s) => s.eventTypeId !== null).map((s) => [s.eventTypeId!, s]));
  const eventTypes = r.data.map((et) => ({
    id: et.id,
    slug: et.slug,
    title: et.title,
    lengthInMinutes: et.lengthInMinutes,
    hidden: Boolean(et.hidden),
    service: byEt.get(et.id) ?? null,
  }));
  const text = [
    `${company.name}: ${eventTypes.length} event types of team ${http.target.teamId}${r.isCacheHit ? " (from cache; --fresh asks Cal.com)" : ""}`,
  ];
  for (const et of eventTypes) {
    text.push(
      `  ${String(et.id).padEnd(9)} ${et.title.slice(0, 40).padEnd(40)} ${String(et.lengthInMinutes).padStart(4)} min${et.hidden ? " hidden" : ""}${et.service ? `  -> service #${et.service.id}${et.service.isActive ? "" : " (inactive)"}` : ""}`,
    );
  }
  return emit(ctx, {
    ok: true,
    data: { companyId: company.id, teamId: http.target.teamId, isCacheHit: r.isCacheHit, eventTypes },
    text,
  });
}

/** The UTC range of one local day, as the phone availability route asks for it (so the warmed entries are the ones it reads). */
function dayRange(day: Date, timeZone: string): { start: Date; end: Date } {
  const [y, m, d] = zonedDateKey(day, timeZone).split("-").map(Number) as [number, number, number];
  return {
    start: zonedToUtc({ year: y, month: m, day: d, hour: 0, minute: 0 }, timeZone),
    end: new Date(zonedToUtc({ year: y, month: m, day: d + 1, hour: 0, minute: 0 }, timeZone).getTime() - 1),
  };
}

/** cache-warmup --company | --all [--days 2]: event types and each active service's slots for the next days. */
async function cacheWarmup(
  ctx: CliContext,
  opts: { company?: string; all?: boolean; days: string },
): Promise<ExitCode> {
  const days = Number(opts.days);
  if (!Number.isInteger(days) || days < 1 || days > 14)
    throw new UsageError("--days takes a whole number from 1 to 14");
  const db = await ctx.db();
  const targets = opts.all ? await listSyncableCompanies(db) : [await resolveCompany(db, opts.company)];
  const report = [];
  const text: string[] = [];
  for (const target of targets) {
    const company = await resolveCompany(db, String(target.id));
    const http = await createCalcomHttp(db, company.id);
    const rows = await db
      .select({ eventTypeId: services.calcomEventTypeId })
      .from(services)
      .where(
        and(eq(services.companyId, company.id), eq(services.isActive, true), isNotNull(services.calcomEventTypeId)),
      );
    const eventTypeIds = [...new Set(rows.map((r) => r.eventTypeId!))];
    const bar = startProgress(ctx, company.name, 1 + eventTypeIds.length * days);
    const entry = { companyId: company.id, eventTypes: 0, slotRanges: 0, alreadyCached: 0, errors: [] as string[] };
    try {
      const et = await listTeamEventTypes(http);
      entry.eventTypes = et.data.length;
      if (et.isCacheHit) entry.alreadyCached++;
    } catch (e) {
      entry.errors.push(`event types: ${describe(e)}`);
    }
    bar.tick("event types");
    for (const eventTypeId of eventTypeIds) {
      for (let i = 0; i < days && entry.errors.length < 3; i++) {
        try {
          const r = await getSlots(http, {
            eventTypeId,
            ...dayRange(new Date(Date.now() + i * 86_400_000), company.timeZone),
            timeZone: company.timeZone,
          });
          entry.slotRanges++;
          if (r.isCacheHit) entry.alreadyCached++;
        } catch (e) {
          entry.errors.push(`slots ${eventTypeId}: ${describe(e)}`);
        }
        bar.tick(`slots ${eventTypeId}`);
      }
    }
    bar.done();
    report.push(entry);
    text.push(
      `${company.name}: ${entry.eventTypes} event types, ${entry.slotRanges} slot days cached (${entry.alreadyCached} were cached already)${entry.errors.length ? `, errors: ${entry.errors.join("; ")}` : ""}`,
    );
  }
  text.push("Event types stay cached 5 minutes, slots 60 seconds.");
  return emit(ctx, { ok: report.every((r) => r.errors.length === 0), data: { companies: report }, text });
}

type Probe = { family: string; call: (http: CalcomHttp, i: number) => Promise<{ exchange: { durationMs: number } }> };

/** performance-test [--company] [--iterations 5] [--max-p95 1000]: uncached latency per endpoint family, with percentiles. */
async function performanceTest(
  ctx: CliContext,
  opts: { company?: string; iterations: string; maxP95: string },
): Promise<ExitCode> {
  const iterations = Number(opts.iterations);
  const maxP95 = Number(opts.maxP95);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 100)
    throw new UsageError("--iterations takes a whole number from 1 to 100");
  if (!Number.isFinite(maxP95) || maxP95 <= 0) throw new UsageError("--max-p95 takes milliseconds");
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  const http = await createCalcomHttp(db, company.id);
  const [service] = await db
    .select({ eventTypeId: services.calcomEventTypeId })
    .from(services)
    .where(and(eq(services.companyId, company.id), isNotNull(services.calcomEventTypeId)))
    .limit(1);
  const probes: Probe[] = [
    { family: "me", call: (h) => getMe(h) },
    { family: "teams", call: (h) => getTeam(h) },
    { family: "eventTypes", call: (h) => listTeamEventTypes(h, { bypassCache: true }) },
    ...(service?.eventTypeId
      ? [
          {
            family: "slots",
            call: (h: CalcomHttp, i: number) =>
              getSlots(
                h,
                {
                  eventTypeId: service.eventTypeId!,
                  ...dayRange(new Date(Date.now() + (1 + (i % 7)) * 86_400_000), company.timeZone),
                  timeZone: company.timeZone,
                },
                { bypassCache: true },
              ),
          },
        ]
      : []),
    { family: "bookings", call: (h) => listBookings(h, { take: 10 }) },
  ];
  const samples = new Map(probes.map((p) => [p.family, { ms: [] as number[], errors: [] as string[] }]));
  const bar = startProgress(ctx, "performance-test", iterations * probes.length);
  for (let i = 0; i < iterations && !ctx.signal?.aborted; i++) {
    for (const p of probes) {
      const s = samples.get(p.family)!;
      try {
        s.ms.push((await p.call(http, i)).exchange.durationMs);
      } catch (e) {
        s.errors.push(describe(e));
      }
      bar.tick(p.family);
    }
  }
  bar.done();
  const families = probes.map((p) => {
    const s = samples.get(p.family)!;
    const mean = s.ms.length ? Math.round(s.ms.reduce((a, b) => a + b, 0) / s.ms.length) : null;
    return {
      family: p.family,
      calls: s.ms.length + s.errors.length,
      ok: s.ms.length,
      errors: s.errors.slice(0, 3),
      minMs: s.ms.length ? Math.min(...s.ms) : null,
      meanMs: mean,
      p50Ms: percentile(s.ms, 50),
      p95Ms: percentile(s.ms, 95),
      p99Ms: percentile(s.ms, 99),
      maxMs: s.ms.length ? Math.max(...s.ms) : null,
    };
  });
  const ok = families.every((f) => f.errors.length === 0 && f.p95Ms !== null && f.p95Ms <= maxP95);
  const fmt = (v: number | null) => (v === null ? "n/a" : `${v}`).padStart(6);
  const text = [
    `${company.name}: ${iterations} uncached calls per family against ${http.target.isSandbox ? "the sandbox" : http.target.baseUrl} (ms)`,
    `  ${"family".padEnd(11)}   ok    min    p50    p95    p99    max`,
  ];
  for (const f of families)
    text.push(
      `  ${f.family.padEnd(11)} ${String(f.ok).padStart(4)} ${fmt(f.minMs)} ${fmt(f.p50Ms)} ${fmt(f.p95Ms)} ${fmt(f.p99Ms)} ${fmt(f.maxMs)}${f.errors.length ? `  errors: ${f.errors.join("; ")}` : ""}`,
    );
  if (!ok) text.push(`  FAILED: errors, or a p95 above ${maxP95} ms`);
  return emit(ctx, { ok, data: { companyId: company.id, iterations, maxP95Ms: maxP95, families }, text });
}

export function registerCalcomTools(program: Command, run: Run): void {
  registerAuth(program, run);
  program
    .command("list-event-types")
    .description("the team's event types in Cal.com and the service each one backs")
    .option("--company <id|slug>", "the company (default: the default company)")
    .option("--fresh", "ask Cal.com instead of the 5-minute cache")
    .action((opts: { company?: string; fresh?: boolean }) => run((c) => listEventTypes(c, opts))());
  program
    .command("cache-warmup")
    .description("fill the cache: event types and each active service's slots for the next days (exit 1 on errors)")
    .option("--company <id|slug>", "one company (default: the default company)")
    .option("--all", "every company with a Cal.com team")
    .option("--days <n>", "days of slots per service, from today", "2")
    .action((opts: { company?: string; all?: boolean; days: string }) => run((c) => cacheWarmup(c, opts))());
  program
    .command("performance-test")
    .description("uncached latency per endpoint family with percentiles (exit 1 on errors or a p95 above --max-p95)")
    .option("--company <id|slug>", "the company (default: the default company)")
    .option("--iterations <n>", "calls per family", "5")
    .option("--max-p95 <ms>", "fail when a family's p95 is above this", "1000")
    .action((opts: { company?: string; iterations: string; maxP95: string }) => run((c) => performanceTest(c, opts))());
}
