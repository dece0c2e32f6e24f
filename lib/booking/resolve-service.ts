import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { serviceAliases } from "@/drizzle/schema/booking";
import { services, type Service } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { looseServiceNameKey, nameCloseness, serviceNameKey } from "@/lib/services/name-match";

/**
 * The one place a caller's service (id, name, spelling variant or alias) becomes a service and its Cal.com event
 * type. Availability checks and bookings both go through it, so they cannot use different event types (the
 * booking-mismatch incident).
 */

export const serviceRefSchema = z.union([
  z.number().int().positive(),
  z.string().trim().min(1, "Name a service").max(200),
]);
export type ServiceRef = z.infer<typeof serviceRefSchema>;

export type ResolvedService = {
  service: Service;
  eventTypeId: number;
  /** How the reference matched: its id, the exact (folded) name, an alias, or a loose umlaut spelling. */
  matchedBy: "id" | "name" | "alias" | "loose";
};

type ServiceCandidate = {
  serviceId: number;
  name: string;
  eventTypeId: number | null;
  isActive: boolean;
  via?: string;
};

type Options = {
  /** The slot debugger explains inactive services instead of refusing them. */
  allowInactive?: boolean;
};

function candidate(s: Service, via?: string): ServiceCandidate {
  return {
    serviceId: s.id,
    name: s.name,
    eventTypeId: s.calcomEventTypeId,
    isActive: s.isActive,
    ...(via ? { via } : {}),
  };
}

function finish(
  found: Service,
  matchedBy: ResolvedService["matchedBy"],
  query: ServiceRef,
  opts: Options,
): ResolvedService {
  if (!found.isActive && !opts.allowInactive) {
    throw new AppError(
      "CONFLICT",
      `Service "${found.name}" (#${found.id}) is inactive locally; activate it or pick another service.`,
      {
        reason: "inactive",
        query,
        candidates: [candidate(found)],
      },
    );
  }
  if (!found.calcomEventTypeId) {
    throw new AppError(
      "CONFLICT",
      `Service "${found.name}" (#${found.id}) has no Cal.com event type; run the event-type sync or set it in Services.`,
      {
        reason: "no_event_type",
        query,
        candidates: [candidate(found)],
      },
    );
  }
  return { service: found, eventTypeId: found.calcomEventTypeId, matchedBy };
}

function uniqueById(list: Service[]): Service[] {
  return [...new Map(list.map((s) => [s.id, s])).values()];
}

export async function resolveService(
  db: DbOrTx,
  input: { companyId: number; service: ServiceRef },
  opts: Options = {},
): Promise<ResolvedService> {
  const ref = serviceRefSchema.parse(input.service);
  const numeric = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : null;
  if (numeric !== null) {
    const [found] = await db
      .select()
      .from(services)
      .where(and(eq(services.companyId, input.companyId), eq(services.id, numeric)));
    if (!found)
      throw new AppError("NOT_FOUND", `Service #${numeric} does not exist for this company.`, {
        reason: "unknown",
        query: ref,
        candidates: [],
      });
    return finish(found, "id", ref, opts);
  }
  const name = String(ref);

  const all = await db.select().from(services).where(eq(services.companyId, input.companyId));
  const aliases = await db.select().from(serviceAliases).where(eq(serviceAliases.companyId, input.companyId));
  const byId = new Map(all.map((s) => [s.id, s]));
  const folded = serviceNameKey(name);
  const loose = looseServiceNameKey(name);

  // Prefer active services when an inactive duplicate carries the same name.
  const pick = (list: Service[]): Service[] => {
    const unique = uniqueById(list);
    const active = unique.filter((s) => s.isActive);
    return active.length > 0 ? active : unique;
  };
  const stages: [ResolvedService["matchedBy"], Service[]][] = [
    ["name", all.filter((s) => serviceNameKey(s.name) === folded)],
    [
      "alias",
      aliases
        .filter((a) => a.normalized === folded)
        .map((a) => byId.get(a.serviceId))
        .filter((s): s is Service => Boolean(s)),
    ],
    [
      "loose",
      [
        ...all.filter((s) => looseServiceNameKey(s.name) === loose),
        ...aliases
          .filter((a) => looseServiceNameKey(a.alias) === loose)
          .map((a) => byId.get(a.serviceId))
          .filter((s): s is Service => Boolean(s)),
      ],
    ],
  ];
  for (const [matchedBy, matches] of stages) {
    const hits = pick(matches);
    if (hits.length === 1) return finish(hits[0]!, matchedBy, ref, opts);
    if (hits.length > 1) {
      throw new AppError(
        "CONFLICT",
        `"${ref}" matches several services: ${hits.map((s) => `${s.name} (#${s.id})`).join(", ")}. Pass the service id.`,
        {
          reason: "ambiguous",
          query: ref,
          candidates: hits.map((s) => candidate(s)),
        },
      );
    }
  }

  const scored = new Map<number, { s: Service; score: number; via?: string }>();
  for (const s of all) {
    const score = nameCloseness(name, s.name);
    if (score !== null) scored.set(s.id, { s, score });
  }
  for (const a of aliases) {
    const s = byId.get(a.serviceId);
    const score = nameCloseness(name, a.alias);
    if (!s || score === null) continue;
    const prev = scored.get(s.id);
    if (!prev || score < prev.score) scored.set(s.id, { s, score, via: `alias "${a.alias}"` });
  }
  const close = [...scored.values()].sort((x, y) => x.score - y.score || x.s.name.localeCompare(y.s.name)).slice(0, 5);
  const hint = close.length
    ? ` Did you mean: ${close.map((c) => `${c.s.name} (#${c.s.id})`).join(", ")}?`
    : " No similar service names exist.";
  throw new AppError("NOT_FOUND", `No service called "${ref}".${hint}`, {
    reason: "unknown",
    query: ref,
    candidates: close.map((c) => candidate(c.s, c.via)),
  });
}
