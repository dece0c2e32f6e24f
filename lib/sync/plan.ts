import type { Service } from "@/drizzle/schema/core";
import type { OrphanReason, ServiceSyncStatus, SyncCounts, SyncDiffItem, SyncServiceState } from "@/drizzle/schema/sync";
import type { CalcomEventType } from "@/lib/calcom/schemas";
import { normalizeName } from "./normalize";

/**
 * The pure heart of a sync: from the services, their sync states and what Cal.com answered, decide what a run sees
 * and changes. No I/O, so the safety rules (3 misses, share guard, opt-in auto-deactivation) are tested directly.
 */

/** Consecutive live runs that must miss an event type before its service counts as orphaned. */
export const MISS_THRESHOLD = 3;

export type ServiceMatch =
  | { service: Service; kind: "matched"; eventType: CalcomEventType; by: "id" | "name" }
  | { service: Service; kind: "missing"; eventTypeId: number; reason: OrphanReason; nameCandidate?: CalcomEventType }
  | { service: Service; kind: "unmatched" };

export type MatchResult = { services: ServiceMatch[]; newEventTypes: CalcomEventType[] };

/** Services by stored event type id first, then unlinked services by normalized name; the rest of the list is new. */
export function matchServices(services: Service[], eventTypes: CalcomEventType[]): MatchResult {
  const byId = new Map(eventTypes.map((et) => [et.id, et]));
  const claimed = new Set<number>();
  for (const s of services) if (s.calcomEventTypeId !== null && byId.has(s.calcomEventTypeId)) claimed.add(s.calcomEventTypeId);
  const byName = new Map<string, CalcomEventType>();
  for (const et of eventTypes) {
    const key = normalizeName(et.title);
    if (!claimed.has(et.id) && !et.hidden && !byName.has(key)) byName.set(key, et);
  }
  const out: ServiceMatch[] = [];
  for (const service of services) {
    const candidate = byName.get(normalizeName(service.name));
    if (service.calcomEventTypeId !== null) {
      const et = byId.get(service.calcomEventTypeId);
      if (et && !et.hidden) out.push({ service, kind: "matched", eventType: et, by: "id" });
      else out.push({ service, kind: "missing", eventTypeId: service.calcomEventTypeId, reason: et ? "hidden" : "not_in_team_list", nameCandidate: candidate });
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

export type StateUpdate = {
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
};

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
        diff.push({ ...base, ...et, kind: "recovered", note: `found again after ${prev.missCount} missed run(s)` });
      } else {
        diff.push({ ...base, ...et, kind: "matched", ...(s.isActive ? {} : { note: "service is inactive" }) });
      }
      if (s.isActive) updates.push(okState(s.id, m.eventType.id, now));
      continue;
    }
    // Only active services count misses: an inactive one cannot be deactivated and waits for a person anyway.
    if (s.isActive) missing.push(m);
    else diff.push({ ...base, kind: "missing", eventTypeId: m.eventTypeId, reason: m.reason, note: "service is inactive" });
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
    const provenance = m.reason === "hidden" ? { reason: "hidden" as const } : (input.provenance.get(m.eventTypeId) ?? { reason: m.reason });
    const isSnoozed = Boolean(prev?.snoozedUntil && prev.snoozedUntil > now);
    const isOrphan = missCount >= MISS_THRESHOLD;
    const candidateNote = m.nameCandidate ? `an event type of the same name exists: ${m.nameCandidate.title} (${m.nameCandidate.id})` : undefined;
    const item: SyncDiffItem = { serviceId: s.id, serviceName: s.name, kind: "missing", eventTypeId: m.eventTypeId, reason: provenance.reason, misses: missCount };
    const update: StateUpdate = {
      serviceId: s.id,
      status: "missing",
      missCount,
      missedRunIds: [...(sameEventType ? (prev?.missedRunIds ?? []) : []), runId].slice(-20),
      reason: provenance.reason,
      reasonDetails: { ...provenance.details, ...(m.nameCandidate ? { nameCandidate: { id: m.nameCandidate.id, title: m.nameCandidate.title } } : {}) },
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
    } else if (isOrphan && input.settings.isAutoDeactivate) {
      update.status = "deactivated";
      update.deactivatedBy = "sync (auto-deactivate)";
      item.kind = "deactivated";
      deactivate.push(s.id);
    } else if (isOrphan) {
      toReview("three_misses");
      item.kind = "orphaned";
      item.note = "sent to review; a person decides";
    } else {
      item.note = `miss ${missCount} of ${MISS_THRESHOLD}`;
    }
    if (candidateNote) item.note = item.note ? `${item.note}; ${candidateNote}` : candidateNote;
    diff.push(item);
    updates.push(update);
  }

  for (const et of match.newEventTypes) {
    diff.push({ kind: "new", eventTypeId: et.id, eventTypeTitle: et.title, note: et.hidden ? "hidden in Cal.com" : "available for import" });
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
