import type { Service } from "@/drizzle/schema/core";
import { plural } from "@/lib/time/format";
import type {
  OrphanReason,
  ServiceSyncStatus,
  SyncCounts,
  SyncDiffItem,
  SyncEventType,
  SyncServiceState,
} from "@/drizzle/schema/sync";
import type { CalcomEventType } from "@/lib/calcom/schemas";
import { serviceNameKey } from "@/lib/services/name-match";

/**
 * The pure heart of a sync: from the services, their sync states and what Cal.com answered, decide what a run sees
 * and changes. No I/O, so the safety rules (3 misses, share guard, opt-in auto-deactivation) are tested directly.
 */

/** Consecutive live runs that must miss an event type before its service counts as orphaned. */
const MISS_THRESHOLD = 3;

type ServiceMatch =
  | { service: Service; kind: "matched"; eventType: CalcomEventType; by: "id" | "name" }
  | { service: Service; kind: "missing"; eventTypeId: number; reason: OrphanReason; nameCandidate?: CalcomEventType }
  | { service: Service; kind: "unmatched" };

export type MatchResult = { services: ServiceMatch[]; newEventTypes: CalcomEventType[] };

/** Services by stored event type id first, then unlinked services by normalized name; the rest of the list is new. */
export function matchServices(services: Service[], eventTypes: CalcomEventType[]): MatchResult {
  const byId = new Map(eventTypes.map((et) => [et.id, et]));
  const claimed = new Set<number>();
  for (const s of services)
    if (s.calcomEventTypeId !== null && byId.has(s.calcomEventTypeId)) claimed.add(s.calcomEventTypeId);
  const byName = new Map<string, CalcomEventType>();
  for (const et of eventTypes) {
    const key = serviceNameKey(et.title);
    if (!claimed.has(et.id) && !et.hidden && !byName.has(key)) byName.set(key, et);
  }
  const out: ServiceMatch[] = [];
  for (const service of services) {
    const candidate = byName.get(serviceNameKey(service.name));
    if (service.calcomEventTypeId !== null) {
      const et = byId.get(service.calcomEventTypeId);
      if (et && !et.hidden) out.push({ service, kind: "matched", eventType: et, by: "id" });
      else
        out.push({
          service,
          kind: "missing",
          eventTypeId: service.calcomEventTypeId,
          reason: et ? "hidden" : "not_in_team_list",
          nameCandidate: candidate,
        });
      continue;
    }
    if (candidate && !claimed.has(candidate.id)) {
      claimed.add(candidate.id);
      out.push({ service, kind: "matched", eventType: candidate, by: "name" });
    } else {
      out.push({ service, kind: "unmatched" });
    }
  }
  return { services: out, newEventTypes: eventTypes.filter((et) => !claimed.has(et.id)) };
}

export type Provenance = { reason: OrphanReason; details?: Record<string, unknown> };

type StateUpdate = {
  serviceId: number;
  status: ServiceSyncStatus;
  missCount: number;
  missedRunIds: number[];
  reason: OrphanReason | null;
  reasonDetails: Record<string, unknown> | null;
  eventTypeId: number | null;
  eventTypeLastSeenAt?: Date;
  reviewCause: string | null;
  reviewSince: Date | null;
  snoozedUntil: Date | null;
  deactivatedBy: string | null;
};

export type SyncPlan = {
  counts: SyncCounts;
  diff: SyncDiffItem[];
  isShareGuardTripped: boolean;
  missingShare: { missing: number; base: number; percent: number };
  states: StateUpdate[];
  deactivateServiceIds: number[];
  linkByName: { serviceId: number; eventTypeId: number }[];
};

export type PlanInput = {
  runId: number;
  now: Date;
  match: MatchResult;
  foundCount: number;
  states: Map<number, SyncServiceState>;
  provenance: Map<number, Provenance>;
  settings: { orphanSharePercent: number; isAutoDeactivate: boolean };
  errors: number;
  /** The company's event-type mirror as the last live run left it (absent: no comparison). */
  mirror?: Map<number, MirrorFields>;
};

export type MirrorFields = Pick<
  SyncEventType,
  | "eventTypeId"
  | "title"
  | "lengthInMinutes"
  | "beforeEventBuffer"
  | "afterEventBuffer"
  | "minimumBookingNotice"
  | "isHidden"
  | "bookingFields"
  | "isPresent"
>;

/** JSON with object keys sorted: the mirror is jsonb, which does not keep Cal.com's key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`)
      .join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

const show = (v: unknown) =>
  v === null || v === undefined ? "none" : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);

/** What changed in a mirrored event type since the last live run, as "length 30 → 45" parts (empty: nothing). */
export function mirrorChanges(before: MirrorFields, et: CalcomEventType): string[] {
  const out: string[] = [];
  const cmp = (label: string, a: unknown, b: unknown) => {
    if ((a ?? null) !== (b ?? null)) out.push(`${label} ${show(a)} → ${show(b)}`);
  };
  if (!before.isPresent) out.push("back in the team list");
  cmp("title", before.title, et.title);
  cmp("length", before.lengthInMinutes, et.lengthInMinutes);
  cmp("buffer before", before.beforeEventBuffer, et.beforeEventBuffer);
  cmp("buffer after", before.afterEventBuffer, et.afterEventBuffer);
  cmp("minimum notice", before.minimumBookingNotice, et.minimumBookingNotice);
  cmp("hidden", before.isHidden, et.hidden ?? false);
  if (stableJson(before.bookingFields ?? []) !== stableJson(et.bookingFields ?? [])) out.push("booking fields changed");
  return out;
}

const okState = (serviceId: number, eventTypeId: number, now: Date): StateUpdate => ({
  serviceId,
  status: "ok",
  missCount: 0,
  missedRunIds: [],
  reason: null,
  reasonDetails: null,
  eventTypeId,
  eventTypeLastSeenAt: now,
  reviewCause: null,
  reviewSince: null,
  snoozedUntil: null,
  deactivatedBy: null,
});

/** What a live run does; a check-only run computes the same plan and stores only the diff. */
export function planSync(input: PlanInput): SyncPlan {
  const { match, states, now, runId } = input;
  const diff: SyncDiffItem[] = [];
  const updates: StateUpdate[] = [];
  const deactivate: number[] = [];
  const linkByName: SyncPlan["linkByName"] = [];
  let matched = 0;
  const missing: (ServiceMatch & { kind: "missing" })[] = [];

  for (const m of match.services) {
    const s = m.service;
    const base = { serviceId: s.id, serviceName: s.name };
    if (m.kind === "unmatched") {
      diff.push({ ...base, kind: "unmatched", note: "no event type id and no event type of that name" });
      continue;
    }
    if (m.kind === "matched") {
      matched++;
      const et = { eventTypeId: m.eventType.id, eventTypeTitle: m.eventType.title };
      const prev = states.get(s.id);
      if (m.by === "name") {
        linkByName.push({ serviceId: s.id, eventTypeId: m.eventType.id });
        diff.push({ ...base, ...et, kind: "linked_by_name" });
      } else if (s.isActive && prev && prev.status !== "ok" && prev.status !== "deactivated") {
        diff.push({
          ...base,
          ...et,
          kind: "recovered",
          note: `found again after ${plural(prev.missCount, "missed run")}`,
        });
      } else {
        diff.push({ ...base, ...et, kind: "matched", ...(s.isActive ? {} : { note: "service is inactive" }) });
      }
      if (s.isActive) updates.push(okState(s.id, m.eventType.id, now));
      continue;
    }
    // Only active services count misses: an inactive one cannot be deactivated and waits for a person anyway.
    if (s.isActive) missing.push(m);
    else
      diff.push({
        ...base,
        kind: "missing",
        eventTypeId: m.eventTypeId,
        reason: m.reason,
        note: "service is inactive",
      });
  }

  const activeMapped = match.services.filter((m) => m.service.isActive && m.kind !== "unmatched").length;
  const percent = input.settings.orphanSharePercent;
  const isTripped = activeMapped > 0 && missing.length * 100 > activeMapped * percent;
  let orphaned = 0;

  for (const m of missing) {
    const s = m.service;
    const prev = states.get(s.id);
    const sameEventType = prev?.eventTypeId === m.eventTypeId;
    const missCount = (sameEventType ? (prev?.missCount ?? 0) : 0) + 1;
    const provenance =
      m.reason === "hidden"
        ? { reason: "hidden" as const }
        : (input.provenance.get(m.eventTypeId) ?? { reason: m.reason });
    const isSnoozed = Boolean(prev?.snoozedUntil && prev.snoozedUntil > now);
    const isOrphan = missCount >= MISS_THRESHOLD;
    const candidateNote = m.nameCandidate
      ? `an event type of the same name exists: ${m.nameCandidate.title} (${m.nameCandidate.id})`
      : undefined;
    const item: SyncDiffItem = {
      serviceId: s.id,
      serviceName: s.name,
      kind: "missing",
      eventTypeId: m.eventTypeId,
      reason: provenance.reason,
      misses: missCount,
    };
    const update: StateUpdate = {
      serviceId: s.id,
      status: "missing",
      missCount,
      missedRunIds: [...(sameEventType ? (prev?.missedRunIds ?? []) : []), runId].slice(-20),
      reason: provenance.reason,
      reasonDetails: {
        ...provenance.details,
        ...(m.nameCandidate ? { nameCandidate: { id: m.nameCandidate.id, title: m.nameCandidate.title } } : {}),
      },
      eventTypeId: m.eventTypeId,
      reviewCause: null,
      reviewSince: null,
      snoozedUntil: isSnoozed ? (prev?.snoozedUntil ?? null) : null,
      deactivatedBy: null,
    };
    const toReview = (cause: string) => {
      update.status = "pending_review";
      update.reviewCause = prev?.status === "pending_review" ? (prev.reviewCause ?? cause) : cause;
      update.reviewSince = prev?.status === "pending_review" ? (prev.reviewSince ?? now) : now;
    };
    if (isOrphan) orphaned++;
    if (isSnoozed) {
      update.status = "snoozed";
      item.note = `snoozed until ${prev!.snoozedUntil!.toISOString()}`;
    } else if (isTripped) {
      toReview(isOrphan ? "three_misses" : "share_guard");
      if (isOrphan) item.kind = "orphaned";
      item.note = `share guard: ${missing.length} of ${activeMapped} active services missing (limit ${percent}%), nothing deactivated`;
    } else if (isOrphan && input.settings.isAutoDeactivate && provenance.details?.existsInTeam !== true) {
      update.status = "deactivated";
      update.deactivatedBy = "sync (auto-deactivate)";
      item.kind = "deactivated";
      deactivate.push(s.id);
    } else if (isOrphan) {
      // Also with the opt-in: Cal.com shows the event type alive in the team, so the list was partial, not proof.
      toReview("three_misses");
      item.kind = "orphaned";
      item.note =
        provenance.details?.existsInTeam === true
          ? "sent to review, not deactivated: the event type still exists in the team"
          : "sent to review; a person decides";
    } else {
      item.note = `miss ${missCount} of ${MISS_THRESHOLD}`;
    }
    if (candidateNote) item.note = item.note ? `${item.note}; ${candidateNote}` : candidateNote;
    diff.push(item);
    updates.push(update);
  }

  for (const et of match.newEventTypes) {
    diff.push({
      kind: "new",
      eventTypeId: et.id,
      eventTypeTitle: et.title,
      note: et.hidden ? "hidden in Cal.com" : "available for import",
    });
  }

  // The mirror's own changes, so the diff shows everything a live run writes: settings that changed in Cal.com, and
  // event types no service uses that left the team list (a used one is already reported as its service's miss).
  if (input.mirror) {
    const listed = new Map<number, { et: CalcomEventType; service?: { id: number; name: string } }>();
    for (const m of match.services)
      if (m.kind === "matched")
        listed.set(m.eventType.id, { et: m.eventType, service: { id: m.service.id, name: m.service.name } });
    for (const et of match.newEventTypes) listed.set(et.id, { et });
    for (const { et, service } of listed.values()) {
      const before = input.mirror.get(et.id);
      const changes = before ? mirrorChanges(before, et) : [];
      if (changes.length)
        diff.push({
          kind: "changed",
          eventTypeId: et.id,
          eventTypeTitle: et.title,
          ...(service ? { serviceId: service.id, serviceName: service.name } : {}),
          note: changes.join("; "),
        });
    }
    const reported = new Set(match.services.flatMap((m) => (m.kind === "missing" ? [m.eventTypeId] : [])));
    for (const before of input.mirror.values()) {
      if (before.isPresent && !listed.has(before.eventTypeId) && !reported.has(before.eventTypeId)) {
        diff.push({
          kind: "removed",
          eventTypeId: before.eventTypeId,
          eventTypeTitle: before.title,
          note: "no longer in the team list; no service uses it",
        });
      }
    }
  }

  return {
    counts: {
      found: input.foundCount,
      matched,
      new: match.newEventTypes.length,
      missing: missing.length,
      orphaned,
      deactivated: deactivate.length,
      errors: input.errors,
    },
    diff,
    isShareGuardTripped: isTripped,
    missingShare: { missing: missing.length, base: activeMapped, percent },
    states: updates,
    deactivateServiceIds: deactivate,
    linkByName,
  };
}

/** A check-only run reports what a live run would do, under the names the panel shows. */
export function asCheckOnlyDiff(diff: SyncDiffItem[]): SyncDiffItem[] {
  return diff.map((d) => (d.kind === "deactivated" ? { ...d, kind: "would_deactivate" } : d));
}
