import type { Tone } from "@/components/ui/badge";
import type { ReconcileRunDetail, ReconcileRunsPage } from "@/lib/client/queries/reconcile";

/** The JSON of GET /api/admin/calcom/reconcile/runs[/{id}], typed from the functions that answer them. */
type RunsPageJson = ReconcileRunsPage;
type RunDetailJson = ReconcileRunDetail;
export type RunJson = RunsPageJson["runs"][number];
export type ItemJson = RunDetailJson["items"][number];

export const RUN_TONE: Record<RunJson["status"], Tone> = {
  queued: "gray",
  running: "blue",
  completed: "green",
  failed: "red",
};
