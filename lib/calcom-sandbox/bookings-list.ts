import {
  and,
  arrayOverlaps,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  lte,
  notInArray,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import { sandboxBookings, sandboxEventTypes, type SandboxUser } from "@/drizzle/schema/sandbox";
import { bookingOutput, legacyBookingOutput } from "./booking-output";
import { MSG } from "./constants";
import { fieldError, globalPipeError, requireAuthUser, success, type FieldError, type SandboxContext } from "./http";
import { jsParseInt, parseIsoDate } from "./params";
import { getUserTeams } from "./store";

const STATUSES = ["upcoming", "recurring", "past", "cancelled", "unconfirmed"] as const;
type ListStatus = (typeof STATUSES)[number];
const DATE_FILTERS = [
  "afterStart",
  "beforeEnd",
  "afterCreatedAt",
  "beforeCreatedAt",
  "afterUpdatedAt",
  "beforeUpdatedAt",
] as const;
const SORTS = { sortStart: "start", sortEnd: "end", sortCreated: "createdAt", sortUpdatedAt: "updatedAt" } as const;
const SORT_MESSAGES: Record<keyof typeof SORTS, string> = {
  sortStart: 'SortStart must be either "asc" or "desc".',
  sortEnd: 'SortEnd must be either "asc" or "desc".',
  sortCreated: 'SortCreated must be either "asc" or "desc".',
  // Cal.com's input class reuses the SortCreated text here.
  sortUpdatedAt: 'SortCreated must be either "asc" or "desc".',
};

type SortField = (typeof SORTS)[keyof typeof SORTS];
type ListQuery = {
  statuses: ListStatus[];
  eventTypeIds: number[] | null;
  teamIds: number[] | null;
  bounds: Partial<Record<(typeof DATE_FILTERS)[number], Date>>;
  sort: { field: SortField; isDesc: boolean } | null;
  take: number;
  skip: number;
};

function idList(q: URLSearchParams, name: string, errors: FieldError[]): number[] | null {
  const raw = q.get(name);
  if (raw === null) return null;
  const ids = raw.split(",").map((p) => jsParseInt(p));
  if (ids.some((i) => i === null)) {
    errors.push(
      fieldError(name, { isNumber: `each value in ${name} must be a number conforming to the specified constraints` }),
    );
    return null;
  }
  return ids as number[];
}

function singleId(q: URLSearchParams, name: string, errors: FieldError[]): number | null {
  const raw = q.get(name);
  if (raw === null) return null;
  const n = Number(raw.trim() === "" ? 0 : raw);
  if (!Number.isInteger(n)) errors.push(fieldError(name, { isInt: `${name} must be an integer number` }));
  return Number.isInteger(n) ? n : null;
}

function pageParam(
  q: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number | null,
  errors: FieldError[],
): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const value = jsParseInt(raw);
  const constraints: Record<string, string> = {};
  if (max !== null && (value === null || value > max)) constraints.max = `${name} must not be greater than ${max}`;
  if (value === null || value < min) constraints.min = `${name} must not be less than ${min}`;
  if (value === null) constraints.isNumber = `${name} must be a number conforming to the specified constraints`;
  if (Object.keys(constraints).length) {
    errors.push(fieldError(name, constraints));
    return fallback;
  }
  return value!;
}

/** GetBookingsInput_2024_08_13 through the global ValidationPipe: unknown parameters are dropped, not rejected. */
function parseListQuery(q: URLSearchParams): ListQuery {
  const errors: FieldError[] = [];
  const rawStatus = q.get("status");
  const statuses = (rawStatus === null ? ["upcoming"] : rawStatus.split(",").map((s) => s.trim())) as ListStatus[];
  if (statuses.some((s) => !STATUSES.includes(s))) errors.push(fieldError("status", { isEnum: MSG.invalidStatus }));
  const eventTypeIds = idList(q, "eventTypeIds", errors);
  const eventTypeId = singleId(q, "eventTypeId", errors);
  const teamsIds = idList(q, "teamsIds", errors);
  const teamId = singleId(q, "teamId", errors);
  const bounds: ListQuery["bounds"] = {};
  for (const name of DATE_FILTERS) {
    const raw = q.get(name);
    if (raw === null) continue;
    const parsed = parseIsoDate(raw);
    if (parsed) bounds[name] = parsed;
    else
      errors.push(
        fieldError(name, {
          isIso8601: `${name.startsWith("after") ? "fromDate" : "toDate"} must be a valid ISO 8601 date.`,
        }),
      );
  }
  let sort: ListQuery["sort"] = null;
  for (const name of Object.keys(SORTS) as (keyof typeof SORTS)[]) {
    const field = SORTS[name];
    const raw = q.get(name);
    if (raw === null) continue;
    if (raw !== "asc" && raw !== "desc") errors.push(fieldError(name, { isEnum: SORT_MESSAGES[name] }));
    else sort ??= { field, isDesc: raw === "desc" };
  }
  const take = pageParam(q, "take", 100, 1, 250, errors);
  const skip = pageParam(q, "skip", 0, 0, null, errors);
  if (errors.length) throw globalPipeError(errors);
  return {
    statuses,
    eventTypeIds: eventTypeIds?.length ? eventTypeIds : eventTypeId ? [eventTypeId] : null,
    teamIds: teamsIds?.length ? teamsIds : teamId ? [teamId] : null,
    bounds,
    sort,
    take,
    skip,
  };
}

function statusCondition(status: ListStatus, now: Date): SQL {
  const b = sandboxBookings;
  const active = notInArray(b.status, ["cancelled", "rejected"]);
  if (status === "upcoming") return and(gte(b.end, now), active)!;
  if (status === "past") return and(lte(b.end, now), active)!;
  if (status === "cancelled") return inArray(b.status, ["cancelled", "rejected"]);
  if (status === "unconfirmed") return and(gte(b.end, now), eq(b.status, "pending"))!;
  return sql`false`; // recurring: the sandbox has no recurring event types
}

/** Organizer, host, or admin/owner of the booking's team: what a key's user may list. */
async function visibleTo(ctx: SandboxContext, user: SandboxUser): Promise<SQL> {
  const b = sandboxBookings;
  const adminTeams = (await getUserTeams(ctx.db, user.id)).filter((t) => t.role !== "MEMBER").map((t) => t.id);
  const scopes: SQL[] = [eq(b.userId, user.id), arrayOverlaps(b.hostIds, [user.id])];
  if (adminTeams.length) scopes.push(inArray(b.teamId, adminTeams));
  return or(...scopes)!;
}

function filters(q: URLSearchParams, query: ListQuery, now: Date): SQL[] {
  const b = sandboxBookings;
  const where: SQL[] = [or(...query.statuses.map((s) => statusCondition(s, now)))!];
  // "+" in managed-user emails arrives as a space when not encoded.
  const email = q.get("attendeeEmail")?.trim().replace(/\s+/g, "+");
  if (email) where.push(sql`${b.attendees} @> ${JSON.stringify([{ email }])}::jsonb`);
  const name = q.get("attendeeName")?.trim();
  if (name) where.push(sql`${b.attendees} @> ${JSON.stringify([{ name }])}::jsonb`);
  const uid = q.get("bookingUid")?.trim();
  if (uid) where.push(eq(b.uid, uid));
  if (query.eventTypeIds) where.push(inArray(b.eventTypeId, query.eventTypeIds));
  if (query.teamIds) where.push(inArray(b.teamId, query.teamIds));
  const { afterStart, beforeEnd, afterCreatedAt, beforeCreatedAt, afterUpdatedAt, beforeUpdatedAt } = query.bounds;
  if (afterStart) where.push(gte(b.start, afterStart));
  if (beforeEnd) where.push(lte(b.end, beforeEnd));
  if (afterCreatedAt) where.push(gte(b.createdAt, afterCreatedAt));
  if (beforeCreatedAt) where.push(lte(b.createdAt, beforeCreatedAt));
  if (afterUpdatedAt) where.push(gte(b.updatedAt, afterUpdatedAt));
  if (beforeUpdatedAt) where.push(lte(b.updatedAt, beforeUpdatedAt));
  return where;
}

async function runList(ctx: SandboxContext, user: SandboxUser, query: ListQuery) {
  const b = sandboxBookings;
  const where = and(await visibleTo(ctx, user), ...filters(ctx.query, query, ctx.now));
  // Without a sort parameter, one past/cancelled status lists newest first; everything else by start ascending.
  const sort = query.sort ?? {
    field: "start" as const,
    isDesc: query.statuses.length === 1 && ["past", "cancelled"].includes(query.statuses[0]!),
  };
  const column = b[sort.field];
  const [total] = await ctx.db.select({ n: count() }).from(b).where(where);
  const rows = await ctx.db
    .select({
      booking: b,
      slug: sandboxEventTypes.slug,
      title: sandboxEventTypes.title,
      teamId: sandboxEventTypes.teamId,
    })
    .from(b)
    .innerJoin(sandboxEventTypes, eq(sandboxEventTypes.id, b.eventTypeId))
    .where(where)
    .orderBy(sort.isDesc ? desc(column) : asc(column), asc(b.id))
    .limit(query.take)
    .offset(query.skip);
  return { total: Number(total?.n ?? 0), rows };
}

// GET /v2/bookings (2024-08-13, 2026-02-25) – filtered, offset-paginated list
export async function handleListBookings(ctx: SandboxContext): Promise<Response> {
  const user = requireAuthUser(ctx, "list");
  const query = parseListQuery(ctx.query);
  const { total, rows } = await runList(ctx, user, query);
  const skip = Math.min(Math.max(query.skip, 0), total);
  const totalPages = Math.ceil(total / query.take);
  const pagination = {
    returnedItems: Math.min(Math.max(total - skip, 0), query.take),
    totalItems: total,
    itemsPerPage: query.take,
    remainingItems: Math.min(Math.max(total - (skip + query.take), 0), total),
    currentPage: totalPages === 0 ? 0 : Math.min(Math.max(Math.floor(skip / query.take) + 1, 1), totalPages),
    totalPages,
    hasNextPage: skip + query.take < total,
    hasPreviousPage: skip > 0,
  };
  const data = rows.map((r) => bookingOutput(r.booking, { id: r.booking.eventTypeId, slug: r.slug }));
  return success(data, 200, { pagination });
}

// GET /v2/bookings (legacy) – { bookings, recurringInfo, nextCursor }, filters[status], cursor = offset
export async function handleLegacyListBookings(ctx: SandboxContext): Promise<Response> {
  const user = requireAuthUser(ctx, "list");
  const q = ctx.query;
  const status = (q.get("filters[status]") ?? "upcoming") as ListStatus;
  if (!STATUSES.includes(status))
    throw globalPipeError([fieldError("filters", {}, [fieldError("status", { isEnum: MSG.invalidStatus })])]);
  const limit = Math.min(Math.max(jsParseInt(q.get("limit")) ?? 10, 1), 100);
  const cursor = Math.max(jsParseInt(q.get("cursor")) ?? 0, 0);
  const query: ListQuery = {
    statuses: [status],
    eventTypeIds: null,
    teamIds: null,
    bounds: {},
    sort: null,
    take: limit,
    skip: cursor,
  };
  const { total, rows } = await runList(ctx, user, query);
  const bookings = rows.map((r) =>
    legacyBookingOutput(r.booking, { id: r.booking.eventTypeId, slug: r.slug, title: r.title, teamId: r.teamId }),
  );
  return success({ bookings, recurringInfo: [], nextCursor: cursor + limit < total ? cursor + limit : null });
}
