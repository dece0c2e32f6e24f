import type { ReconcileClass, ReconcileFix } from "@/drizzle/schema/reconcile";
import { FIX_HELP, FIX_LABELS } from "@/lib/reconcile/fix-rules";

/** A fix's button names its effect ("Cancel the booking at Cal.com"), not our jargon ("Push ours"). */
export function fixLabel(cls: ReconcileClass, fix: ReconcileFix): string {
  const help = FIX_HELP[cls][fix];
  if (!help || fix === "ignore") return FIX_LABELS[fix];
  const text = help.replace(/\s*\(.*\)$/, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Everything that writes to Cal.com, or cancels or changes one of our appointments, asks first with a reason. */
export function needsConfirmation(cls: ReconcileClass, fix: ReconcileFix): boolean {
  if (fix === "push") return true;
  return fix === "adopt" && cls !== "missing_locally";
}

export function fixConsequence(cls: ReconcileClass, fix: ReconcileFix): string {
  const help = FIX_HELP[cls][fix] ?? FIX_LABELS[fix];
  if (fix === "push")
    return `This changes Cal.com: ${help}. The caller's booking in Cal.com changes for real and cannot be reopened from here.`;
  return `This changes our appointment: ${help}. Cal.com is not touched.`;
}
