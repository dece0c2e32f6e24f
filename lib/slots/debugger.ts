import "server-only";
import * as clock from "@/lib/time/clock";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { circuitBreakers } from "@/drizzle/schema/calcom";
import { companies, services, type Company, type Service } from "@/drizzle/schema/core";
import type { SlotQuerySource } from "@/drizzle/schema/slots";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { resolveService } from "@/lib/booking/resolve-service";
import { createCalcomHttp, type CalcomHttp } from "@/lib/calcom/client";
import { getSlots } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { resolveApiVersion } from "@/lib/calcom/versions";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { isValidTimeZone, toZonedIso } from "@/lib/time/zoned";
import { loadCalcomContext, toReasonEventType } from "./calcom-context";
import { explainFromContext, localToInstant, type DebugRequest, type DebugResult, type DebugSlot } from "./context";
import { recordSlotQuery } from "./recent-queries";
import { addDaysToKey, startOfDateKey } from "./schedule";
import { companyIdSchema, idSchema } from "@/lib/http/params";

/**
 * The slot debugger: one company, one service or event type, a date range and a time zone in; the slots Cal.com
 * offers (local and UTC), the exact request and raw response, and for a requested time the reasons it is missing.
 * Every run is recorded in slot_queries.
 */

const dateKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD");
const MAX_DAYS = 31;

export const debugSlotsSchema = z
  .object({
    companyId: companyIdSchema,
    serviceId: idSchema.optional(),
    /** A caller's service name (any spelling, alias) or id, resolved exactly as bookings resolve it. */
    service: z.string().trim().min(1).max(200).optional(),
    eventTypeId: idSchema.optional(),
    from: dateKey,
    to: dateKey.optional(),
    timeZone: z.string().trim().min(1).refine(isValidTimeZone, "Unknown IANA time zone (CAL-008)").optional(),
    /** "Why not" time, local to timeZone: YYYY-MM-DDTHH:MM. */
    at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Use YYYY-MM-DDTHH:MM")
      .optional(),
    duration: z.coerce.number().int().positive().max(1440).optional(),
  })
  .refine(
    (v) => [v.serviceId, v.service, v.eventTypeId].filter(Boolean).length === 1,
    "Give either a service or an event type id",
  )
  .refine((v) => !v.to || v.to >= v.from, "The range ends before it starts")
  .refine(
    (v) => !v.to || (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 < MAX_DAYS,
    `At most ${MAX_DAYS} days at once`,
  );
export type DebugSlotsInput = z.infer<typeof debugSlotsSchema>;

/** Services go through resolveService, the same resolution bookings use, so check and book cannot diverge. */
async function resolveTarget(
  db: Db,
  company: Company,
  input: DebugSlotsInput,
): Promise<{ eventTypeId: number; service: Service | null }> {
  const ref = input.serviceId ?? input.service;
  if (ref !== undefined) {
    const resolved = await resolveService(db, { companyId: company.id, service: ref }, { allowInactive: true });
    return { eventTypeId: resolved.eventTypeId, service: resolved.service };
  }
  const eventTypeId = input.eventTypeId!;
  const [service] = await db
    .select()
    .from(services)
    .where(and(eq(services.companyId, company.id), eq(services.calcomEventTypeId, eventTypeId)))
    .orderBy(asc(services.id))
    .limit(1);
  return { eventTypeId, service: service ?? null };
}

function describeRequest(http: CalcomHttp, query: Record<string, string | number | undefined>): DebugRequest {
  const url = http.buildUrl({ pathTemplate: "/v2/slots", query });
  const parsed = new URL(url);
  const version = resolveApiVersion("slots", http.company.calcomApiVersions);
  return {
    method: "GET",
    // The API path as Cal.com documents it; a base path (the built-in sandbox's /api/calcom-sandbox) stays in baseUrl.
    path: url.slice(http.target.baseUrl.length).split("?")[0] ?? parsed.pathname,
    baseUrl: http.target.baseUrl,
    url,
    query: Object.fromEntries(parsed.searchParams),
    version,
    headers: {
      "cal-api-version": version,
      authorization: http.target.apiKey
        ? `Bearer ${http.target.apiKey.slice(0, 4)}…${http.target.apiKey.slice(-4)}`
        : "(none)",
    },
  };
}

function toDebugSlots(data: Record<string, { start: string; end?: string }[]>, timeZone: string): DebugSlot[] {
  return Object.values(data)
    .flat()
    .map((s) => {
      const start = new Date(s.start);
      const local = toZonedIso(start, timeZone);
      return {
        start: start.toISOString(),
        end: s.end ? new Date(s.end).toISOString() : null,
        localDate: local.slice(0, 10),
        localTime: local.slice(11, 16),
        utcTime: start.toISOString().slice(11, 16),
        raw: s.start,
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

async function circuitState(db: Db, companyId: number) {
  const [row] = await db
    .select({ state: circuitBreakers.state })
    .from(circuitBreakers)
    .where(eq(circuitBreakers.companyId, companyId));
  return row?.state ?? "closed";
}

export async function debugSlots(
  db: Db,
  opts: { input: DebugSlotsInput; actor?: Actor; source?: SlotQuerySource },
): Promise<DebugResult> {
  const input = debugSlotsSchema.parse(opts.input);
  const company = await getCompanyOrThrow(db, input.companyId);
  const timeZone = input.timeZone ?? company.timeZone;
  const { eventTypeId, service } = await resolveTarget(db, company, input);
  const to = input.to ?? input.from;
  const start = startOfDateKey(input.from, timeZone);
  const end = new Date(startOfDateKey(addDaysToKey(to, 1), timeZone).getTime() - 1000);
  const http = await createCalcomHttp(db, company.id);
  const request = describeRequest(http, {
    eventTypeId,
    start: start.toISOString(),
    end: end.toISOString(),
    timeZone,
    format: "range",
    duration: input.duration,
  });
  const started = clock.nowMs();
  let result: Pick<DebugResult, "response" | "isCacheHit" | "error" | "slots"> = {
    response: null,
    isCacheHit: false,
    error: null,
    slots: [],
  };
  try {
    const answer = await getSlots(
      http,
      { eventTypeId, start, end, timeZone, duration: input.duration },
      { bypassCache: true },
    );
    const r = answer.exchange.response;
    result = {
      response: r ? { status: r.status, headers: r.headers, body: r.body } : null,
      isCacheHit: answer.isCacheHit,
      error: null,
      slots: toDebugSlots(answer.data, timeZone),
    };
  } catch (error) {
    if (!(error instanceof CalcomError)) throw error;
    const body = error.details ?? null;
    result = {
      response: error.status ? { status: error.status, headers: {}, body } : null,
      isCacheHit: false,
      error: { calCode: error.calCode, status: error.status, message: error.message, hint: error.hint },
      slots: [],
    };
  }
  const durationMs = clock.nowMs() - started;
  const loaded =
    result.error?.calCode === "CAL-013"
      ? {
          eventType: null,
          schedule: null,
          bookings: [],
          warnings: ["Circuit open: settings, schedule and bookings were not fetched."],
        }
      : await loadCalcomContext(http, { eventTypeId, from: start, to: end });
  const context = {
    now: clock.now().toISOString(),
    timeZone,
    eventType: loaded.eventType ? toReasonEventType(loaded.eventType) : null,
    eventTypeTitle: loaded.eventType?.title ?? null,
    schedule: loaded.schedule,
    bookings: loaded.bookings,
    serviceActive: service ? service.isActive : null,
    circuitState: await circuitState(db, company.id),
    lengthInMinutes: input.duration ?? null,
    warnings: loaded.warnings,
  };
  const why = input.at
    ? explainFromContext(
        context,
        localToInstant(input.at, timeZone),
        result.slots.map((s) => s.start),
      )
    : null;
  const queryId = await recordSlotQuery(db, {
    companyId: company.id,
    source: opts.source ?? "api",
    actorLabel: opts.actor ? actorLabel(opts.actor) : null,
    serviceId: service?.id ?? null,
    eventTypeId,
    rangeStart: start,
    rangeEnd: end,
    timeZone,
    requestedStart: why ? new Date(why.at) : null,
    reasonCodes: why ? why.reasons.map((r) => r.code) : null,
    slots: result.error ? null : result.slots.map((s) => s.start),
    slotCount: result.slots.length,
    httpStatus: result.response?.status ?? null,
    calCode: result.error?.calCode ?? null,
    error: result.error?.message ?? null,
    durationMs,
    request: { method: request.method, path: request.path, query: request.query, version: request.version },
  });
  return {
    queryId,
    companyId: company.id,
    companyName: company.name,
    timeZone,
    eventTypeId,
    service: service ? { id: service.id, name: service.name, isActive: service.isActive } : null,
    range: { from: input.from, to, start: start.toISOString(), end: end.toISOString() },
    request,
    durationMs,
    ...result,
    context,
    why,
  };
}

/**
 * For the CLI, `debug-availability <eventTypeId> --date YYYY-MM-DD [--time HH:MM] [--company N] [--tz Zone]`: the
 * company defaults to the one whose service uses the event type, then to the default company.
 */
export async function debugAvailability(
  db: Db,
  opts: { eventTypeId: number; date: string; time?: string; companyId?: number; timeZone?: string; actor?: Actor },
): Promise<DebugResult> {
  let companyId = opts.companyId;
  if (!companyId) {
    const [owner] = await db
      .select({ companyId: services.companyId })
      .from(services)
      .where(eq(services.calcomEventTypeId, opts.eventTypeId))
      .limit(1);
    const [fallback] = owner
      ? []
      : await db.select({ id: companies.id }).from(companies).where(eq(companies.isDefault, true)).limit(1);
    companyId = owner?.companyId ?? fallback?.id;
    if (!companyId) throw new AppError("NOT_FOUND", `No company uses event type ${opts.eventTypeId}; pass --company`);
  }
  return debugSlots(db, {
    input: {
      companyId,
      eventTypeId: opts.eventTypeId,
      from: opts.date,
      timeZone: opts.timeZone,
      at: opts.time ? `${opts.date}T${opts.time}` : undefined,
    },
    actor: opts.actor ?? { kind: "system", label: "cli", role: "operator" },
    source: "cli",
  });
}
