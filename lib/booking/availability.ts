import "server-only";
import type { SlotQuerySource } from "@/drizzle/schema/slots";
import { CalcomError } from "@/lib/calcom/errors";
import { recordSlotQuery } from "@/lib/slots/recent-queries";
import { z } from "zod";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getSlots } from "@/lib/calcom/endpoints";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db } from "@/lib/db/types";
import { isValidTimeZone, toZonedIso, zonedToUtc } from "@/lib/time/zoned";
import { outageOf } from "./calcom-attempt";
import { isFallbackModeActive } from "./fallback-mode";
import { resolveService, serviceRefSchema } from "./resolve-service";
import { parseOrBadRequest } from "@/lib/errors";
import { exchangeJson } from "./view";

/** Availability for the phone platform: the same resolveService as booking, so check and book share one event type. */

const availabilityInputSchema = z
  .object({
    companyId: z.number().int().positive(),
    service: serviceRefSchema,
    /** A local day (YYYY-MM-DD) in timeZone, or an explicit UTC range. */
    date: z.iso.date().optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    timeZone: z.string().refine(isValidTimeZone, "timeZone must be an IANA time zone such as Europe/Berlin").optional(),
  })
  .refine((v) => v.date || (v.from && v.to), {
    message: "Give a date (YYYY-MM-DD) or both from and to",
    path: ["date"],
  });

export type AvailabilityJson = {
  service: { id: number; name: string; eventTypeId: number; matchedBy: string };
  timeZone: string;
  from: string;
  to: string;
  slots: { start: string; end: string | null; local: string }[];
  /** Cal.com cannot be asked right now; a booking request will be queued for manual booking. */
  isFallback: boolean;
  fallbackReason: string | null;
  calcom: ReturnType<typeof exchangeJson>;
};

/**
 * What a caller was offered, kept in the slot debugger's recent queries so support can answer "what did the caller
 * hear at 10:42?". Best effort: a failure to record never fails the availability answer.
 */
async function recordOffer(db: Db, row: Parameters<typeof recordSlotQuery>[1]): Promise<void> {
  try {
    await recordSlotQuery(db, row);
  } catch (error) {
    console.error("[booking] could not record the slot query", error instanceof Error ? error.message : error);
  }
}

function offerRequest(
  exchange: { request: { method: string; url: string; headers: Record<string, string> } } | null | undefined,
) {
  if (!exchange) return { method: "GET", path: "/v2/slots", query: {}, version: "" };
  const url = new URL(exchange.request.url);
  return {
    method: exchange.request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    version: exchange.request.headers["cal-api-version"] ?? "",
  };
}

export async function getAvailability(
  db: Db,
  input: unknown,
  opts: { source?: SlotQuerySource; actorLabel?: string } = {},
): Promise<AvailabilityJson> {
  const q = parseOrBadRequest(availabilityInputSchema, input);
  const company = await getCompanyOrThrow(db, q.companyId);
  const timeZone = q.timeZone ?? company.timeZone;
  const resolved = await resolveService(db, { companyId: company.id, service: q.service });
  let from: Date;
  let to: Date;
  if (q.date) {
    const [y, m, d] = q.date.split("-").map(Number) as [number, number, number];
    from = zonedToUtc({ year: y, month: m, day: d, hour: 0, minute: 0 }, timeZone);
    to = new Date(zonedToUtc({ year: y, month: m, day: d + 1, hour: 0, minute: 0 }, timeZone).getTime() - 1);
  } else {
    from = new Date(q.from!);
    to = new Date(q.to!);
  }
  const base = {
    service: {
      id: resolved.service.id,
      name: resolved.service.name,
      eventTypeId: resolved.eventTypeId,
      matchedBy: resolved.matchedBy,
    },
    timeZone,
    from: from.toISOString(),
    to: to.toISOString(),
  };
  const offer = {
    companyId: company.id,
    source: opts.source ?? ("phone" as const),
    actorLabel: opts.actorLabel ?? "phone platform",
    serviceId: resolved.service.id,
    eventTypeId: resolved.eventTypeId,
    rangeStart: from,
    rangeEnd: to,
    timeZone,
  };
  const fallback = await isFallbackModeActive(db, company.id);
  if (fallback.isActive) {
    await recordOffer(db, {
      ...offer,
      slots: [],
      error: `fallback mode: ${fallback.reason ?? "on"}`,
      request: offerRequest(null),
    });
  }
  if (fallback.isActive)
    return {
      ...base,
      slots: [],
      isFallback: true,
      fallbackReason: `Fallback mode is on: ${fallback.reason ?? ""}`.trim(),
      calcom: null,
    };
  try {
    const http = await createCalcomHttp(db, company.id);
    const { data, exchange } = await getSlots(http, {
      eventTypeId: resolved.eventTypeId,
      start: from,
      end: to,
      timeZone,
    });
    const slots = Object.values(data)
      .flat()
      .map((s) => ({
        start: new Date(s.start).toISOString(),
        end: s.end ? new Date(s.end).toISOString() : null,
        local: toZonedIso(new Date(s.start), timeZone),
      }));
    await recordOffer(db, {
      ...offer,
      slots: slots.map((s) => s.start),
      slotCount: slots.length,
      httpStatus: exchange.response?.status ?? 200,
      durationMs: exchange.durationMs,
      request: offerRequest(exchange),
    });
    return { ...base, slots, isFallback: false, fallbackReason: null, calcom: exchangeJson(exchange) };
  } catch (error) {
    await recordOffer(db, {
      ...offer,
      slots: null,
      error: error instanceof Error ? error.message : String(error),
      calCode: error instanceof CalcomError ? error.calCode : null,
      httpStatus: error instanceof CalcomError ? (error.status ?? null) : null,
      request: offerRequest(null),
    });
    const outage = outageOf(error);
    if (!outage) throw error;
    return { ...base, slots: [], isFallback: true, fallbackReason: outage.message, calcom: null };
  }
}
