import Link from "next/link";
import { BASE_PATH } from "../nav-items";

/** The small "Timeline" link shown wherever an appointment or a booking uid appears. */
export function TimelineLink({
  appointmentId,
  uid,
  className = "",
}: {
  appointmentId?: number | null;
  uid?: string | null;
  className?: string;
}) {
  const key = appointmentId ?? uid;
  if (!key) return null;
  return (
    <Link
      className={`text-xs text-sky-700 underline ${className}`}
      href={`${BASE_PATH}/appointments/${encodeURIComponent(String(key))}`}
      aria-label={`Timeline of ${appointmentId ? `appointment #${appointmentId}` : `booking ${uid}`}`}
    >
      Timeline
    </Link>
  );
}
