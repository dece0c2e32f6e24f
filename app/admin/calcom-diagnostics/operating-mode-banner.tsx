"use client";

import Link from "next/link";
import { Time } from "@/components/ui/time";
import { useCircuits, useFallbackModes } from "@/lib/client/queries/operating-mode";
import { BASE_PATH } from "./nav-items";

/**
 * On every panel: companies whose callers do not get Cal.com right now (fallback mode, a circuit held or tripped
 * open), so nobody reads "12 bookable slots" while every caller is sent to the manual queue.
 */
export function OperatingModeBanner() {
  const modes = useFallbackModes();
  const circuits = useCircuits(undefined, 15_000);
  const fallback = (modes.data?.modes ?? []).filter((m) => m.isActive);
  const open = (circuits.data?.circuits ?? []).filter((c) => c.state === "open");
  if (fallback.length === 0 && open.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="operating-mode-banner"
      className="space-y-0.5 bg-red-700 px-4 py-1.5 text-center text-sm font-medium text-white"
    >
      {fallback.map((m) => (
        <p key={`f-${m.companyId}`}>
          Fallback mode for {m.companyName} until <Time at={m.expiresAt} fallback="switched off" />: every caller goes
          to the manual queue.{" "}
          <Link className="underline" href={`${BASE_PATH}/bookings?company=${m.companyId}`}>
            Bookings
          </Link>
        </p>
      ))}
      {open.map((c) => (
        <p key={`c-${c.companyId}`}>
          Circuit of {c.companyName}{" "}
          {c.isForcedOpen ? (
            <>
              held open by an operator until <Time at={c.forcedOpenUntil} />
            </>
          ) : (
            "open after repeated failures"
          )}
          : Cal.com calls are refused.{" "}
          <Link className="underline" href={`${BASE_PATH}/circuit?company=${c.companyId}`}>
            Circuit
          </Link>
        </p>
      ))}
    </div>
  );
}
