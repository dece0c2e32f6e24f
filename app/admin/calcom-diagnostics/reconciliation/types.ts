import type { Tone } from "@/components/ui/badge";
import type { ItemRelated, LocalSnapshot, ReconcileClass, ReconcileDiff, ReconcileFix, RemoteSnapshot } from "@/drizzle/schema/reconcile";

/** The JSON of GET /api/admin/calcom/reconcile/runs[/{id}] as the browser sees it (dates as strings). */
export type RunJson = {
  id: number;
  companyId: number;
  companyName: string;
  status: "queued" | "running" | "completed" | "failed";
  mode: "full" | "incremental";
  rangeFrom: string;
  rangeTo: string;
  updatedSince: string | null;
  actorLabel: string;
  counts: Partial<Record<ReconcileClass, number>>;
  remoteCount: number;
  localCount: number;
  pages: number;
  lookups: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  openItems: number;
};

export type ItemJson = {
  id: number;
  runId: number;
  class: ReconcileClass;
  status: "open" | "fixed" | "ignored" | "failed";
  appointmentId: number | null;
  bookingUid: string | null;
  diff: ReconcileDiff;
  local: LocalSnapshot | null;
  calcom: RemoteSnapshot | null;
  related: ItemRelated | null;
  fix: ReconcileFix | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  error: string | null;
};

export type RunDetailJson = { run: RunJson; items: ItemJson[]; nextCursor: number | null; openByClass: Record<string, number> };

export const RUN_TONE: Record<RunJson["status"], Tone> = { queued: "gray", running: "blue", completed: "green", failed: "red" };
