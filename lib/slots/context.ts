import { formatLocal } from "@/lib/time/format";
import { zonedToUtc } from "@/lib/time/zoned";
import { explainTime, type Reason, type ReasonEventType } from "./reasons";
import type { SlotSchedule } from "./schedule";

/**
 * The JSON a slot debug returns (route, panel, CLI) and the one way to ask "why not this time?" of it. Pure, so the
 * panel re-runs the reason engine in the browser for any time without another call to Cal.com.
 */

export type DebugSlot = {
  start: string;
  end: string | null;
  localDate: string;
  localTime: string;
  utcTime: string;
  raw: string;
};
export type DebugBooking = {
  uid: string;
  start: string;
  end: string;
  status: string;
  hostIds: number[];
  beforeBuffer: number;
  afterBuffer: number;
  title: string | null;
  eventTypeId: number | null;
};
export type DebugRequest = {
  method: string;
  path: string;
  baseUrl: string;
  url: string;
  query: Record<string, string>;
  version: string;
  headers: Record<string, string>;
};
type DebugError = { calCode: string; status: number | null; message: string; hint: string };

export type ReasonContext = {
  now: string;
  timeZone: string;
  eventType: ReasonEventType | null;
  eventTypeTitle: string | null;
  schedule: SlotSchedule | null;
  bookings: DebugBooking[];
  serviceActive: boolean | null;
  circuitState: "closed" | "open" | "half_open" | null;
  lengthInMinutes: number | null;
  /** What could not be loaded (each makes some reasons impossible to find). */
  warnings: string[];
};

export type WhyAnswer = { at: string; local: string; isOffered: boolean; reasons: Reason[]; isUnexplained: boolean };

export type DebugResult = {
  queryId: number;
  companyId: number;
  companyName: string;
  timeZone: string;
  eventTypeId: number;
  service: { id: number; name: string; isActive: boolean } | null;
  range: { from: string; to: string; start: string; end: string };
  request: DebugRequest;
  response: { status: number; headers: Record<string, string>; body: unknown } | null;
  durationMs: number;
  isCacheHit: boolean;
  error: DebugError | null;
  slots: DebugSlot[];
  context: ReasonContext;
  why: WhyAnswer | null;
};

/** "YYYY-MM-DDTHH:MM" (a datetime-local value) in the zone, to the UTC instant. */
export function localToInstant(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`expected YYYY-MM-DDTHH:MM, got ${local}`);
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return zonedToUtc({ year: y, month: mo, day: d, hour: h, minute: mi }, timeZone);
}

/** Reasons for one start against a debug's context; `offeredStarts` are the UTC ISO starts Cal.com returned. */
export function explainFromContext(ctx: ReasonContext, at: Date, offeredStarts: string[]): WhyAnswer {
  const reasons = explainTime({
    at,
    now: new Date(ctx.now),
    timeZone: ctx.timeZone,
    eventType: ctx.eventType,
    schedule: ctx.schedule,
    bookings: ctx.bookings
      .filter((b) => b.status !== "cancelled" && b.status !== "rejected")
      .map((b) => ({ ...b, start: new Date(b.start), end: new Date(b.end) })),
    lengthInMinutes: ctx.lengthInMinutes ?? undefined,
    serviceActive: ctx.serviceActive,
    circuitState: ctx.circuitState,
  });
  const isOffered = offeredStarts.some((s) => new Date(s).getTime() === at.getTime());
  // Not offered, yet no rule we know explains it: external calendars, booking limits or host set-up in Cal.com.
  const blocking = reasons.filter((r) => !["hidden", "service-inactive", "circuit-open"].includes(r.code));
  return {
    at: at.toISOString(),
    local: formatLocal(at, ctx.timeZone),
    isOffered,
    reasons,
    isUnexplained: !isOffered && blocking.length === 0,
  };
}
