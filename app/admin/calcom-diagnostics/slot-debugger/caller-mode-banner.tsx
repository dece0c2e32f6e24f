"use client";

import { Time } from "@/components/ui/time";
import { useCircuits, useFallbackModes } from "@/lib/client/queries/operating-mode";

/** The slots below are what Cal.com offers; this says when callers are not being offered them at all. */
export function CallerModeBanner({ companyId }: { companyId: number }) {
  const fallback = useFallbackModes(companyId).data?.modes.find((m) => m.companyId === companyId && m.isActive);
  const circuit = useCircuits(companyId, 15_000).data?.circuits.find(
    (c) => c.companyId === companyId && c.state === "open",
  );
  if (!fallback && !circuit) return null;
  return (
    <div
      role="alert"
      data-testid="caller-mode-banner"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
    >
      {fallback && (
        <p>
          Fallback mode is on until <Time at={fallback.expiresAt} fallback="switched off" />: callers are offered no
          slots and every booking goes to the manual queue, whatever Cal.com shows below.
        </p>
      )}
      {circuit && (
        <p>
          The circuit is {circuit.isForcedOpen ? "held open by an operator" : "open"}: callers get no slots from Cal.com
          and bookings go to the manual queue.
        </p>
      )}
    </div>
  );
}
