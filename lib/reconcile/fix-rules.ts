import type { ReconcileClass, ReconcileFix } from "@/drizzle/schema/reconcile";

/** Which fixes make sense for which class: the server enforces it, the panel offers exactly these. */
export const ALLOWED_FIXES: Record<ReconcileClass, readonly ReconcileFix[]> = {
  missing_in_calcom: ["push", "link", "adopt", "ignore"],
  missing_locally: ["adopt", "link", "push", "ignore"],
  status_mismatch: ["adopt", "push", "ignore"],
  time_mismatch: ["adopt", "push", "ignore"],
  event_type_mismatch: ["adopt", "ignore"],
  duplicate_calcom: ["push", "ignore"],
  duplicate_local: ["adopt", "ignore"],
};

export const CLASS_LABELS: Record<ReconcileClass, string> = {
  missing_in_calcom: "Confirmed locally, no Cal.com booking",
  missing_locally: "Cal.com booking, no appointment",
  status_mismatch: "Status mismatch",
  time_mismatch: "Time mismatch",
  event_type_mismatch: "Event type mismatch",
  duplicate_calcom: "Duplicate Cal.com bookings",
  duplicate_local: "Duplicate appointments",
};

/** What each fix does for each class, shown beside the buttons. */
export const FIX_LABELS: Record<ReconcileFix, string> = {
  adopt: "Adopt Cal.com",
  push: "Push ours",
  link: "Link",
  ignore: "Ignore",
};

export const FIX_HELP: Record<ReconcileClass, Partial<Record<ReconcileFix, string>>> = {
  missing_in_calcom: {
    push: "book it at Cal.com",
    link: "link to the matching booking",
    adopt: "cancel the appointment",
  },
  missing_locally: {
    adopt: "create the appointment",
    link: "link to the matching appointment",
    push: "cancel the booking at Cal.com",
  },
  status_mismatch: {
    adopt: "take Cal.com's status",
    push: "cancel at Cal.com (a cancelled booking cannot be reopened)",
  },
  time_mismatch: { adopt: "take Cal.com's time", push: "reschedule at Cal.com (new uid)" },
  event_type_mismatch: { adopt: "take Cal.com's event type" },
  duplicate_calcom: { push: "cancel the extra bookings at Cal.com, keep the linked one" },
  duplicate_local: { adopt: "cancel the extra appointments, keep the linked one" },
};
