"use client";

import { useDisplayZone } from "@/lib/client/display-zone";
import { formatDateTime, formatRelative } from "@/lib/time/format";

type Props = {
  at: string | number | Date | null | undefined;
  /** "5 min ago", with the absolute time on hover. */
  relative?: boolean;
  seconds?: boolean;
  /** Shown when there is no time; say what that means ("never", "not yet"). */
  fallback?: string;
  className?: string;
};

/** A time in the display zone, one format everywhere. */
export function Time({ at, relative = false, seconds = false, fallback = "never", className }: Props) {
  const { zone } = useDisplayZone();
  if (at === null || at === undefined || at === "") return <span className={className}>{fallback}</span>;
  const absolute = formatDateTime(at, zone, { seconds });
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={relative ? absolute : undefined} className={className} suppressHydrationWarning>
      {relative ? formatRelative(at) : absolute}
    </time>
  );
}

/** The formatter for places that need text (titles, tooltips, chart labels). */
export function useFormatTime(): (at: string | number | Date, options?: { seconds?: boolean }) => string {
  const { zone } = useDisplayZone();
  return (at, options) => formatDateTime(at, zone, options);
}
