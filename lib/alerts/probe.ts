import "server-only";
import type { AlertSeverity } from "@/drizzle/schema/alerts";
import type { Db } from "@/lib/db/types";
import type { RuleResult } from "@/lib/health/verdict";
import type { AlertThresholds } from "./settings";

/** One condition for one company at one moment: active (open or keep the alert) or clear (resolve it). */
export type Finding = {
  kind: string;
  key?: string;
  active: boolean;
  severity: AlertSeverity;
  title: string;
  message: string;
  details?: Record<string, unknown>;
};

type ProbeInput = { db: Db; companyIds: number[]; thresholds: (companyId: number) => AlertThresholds; now: Date };
/** A probe looks at every company at once (one query, not one per company) and returns findings per company. */
export type Probe = (input: ProbeInput) => Promise<Map<number, Finding[]>>;

export function push(map: Map<number, Finding[]>, companyId: number, finding: Finding) {
  const list = map.get(companyId) ?? [];
  list.push(finding);
  map.set(companyId, list);
}

/** A health rule's outcome as a finding: the same kind, severity and sentence as the verdict's reason. */
export function finding(r: RuleResult, details: Record<string, unknown>): Finding {
  return { kind: r.rule, active: r.isBreached, severity: r.severity, title: r.title, message: r.message, details };
}
