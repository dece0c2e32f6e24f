import type { Tone } from "@/components/ui/badge";
import type { Jsonify } from "@/lib/client/json";
import type { getReconcileRun, listReconcileRuns } from "@/lib/reconcile/queries";

/** The JSON of GET /api/admin/calcom/reconcile/runs[/{id}], typed from the functions that answer them. */
export type RunsPageJson = Jsonify<Awaited<ReturnType<typeof listReconcileRuns>>>;
export type RunDetailJson = Jsonify<Awaited<ReturnType<typeof getReconcileRun>>>;
export type RunJson = RunsPageJson["runs"][number];
export type ItemJson = RunDetailJson["items"][number];

export const RUN_TONE: Record<RunJson["status"], Tone> = { queued: "gray", running: "blue", completed: "green", failed: "red" };
