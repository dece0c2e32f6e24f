"use client";

import { useDisplayZone } from "@/lib/client/display-zone";
import { zoneAbbreviation } from "@/lib/time/format";
import { useBrowserZone, useNow } from "@/lib/client/use-now";

/** Shows the zone every time on the page is in, and lets the viewer choose it once (a cookie). */
export function ZonePicker() {
  const { zone, isChosen, companyZone, choose } = useDisplayZone();
  const browserZone = useBrowserZone();
  const now = useNow();

  const options = [...new Set([zone, browserZone, "UTC"].filter((z): z is string => !!z && z !== companyZone))];
  return (
    <label className="flex items-center gap-2 text-sm" data-testid="display-zone">
      <span className="text-slate-600">Times in</span>
      <select
        aria-label="Time zone"
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
        value={isChosen ? zone : ""}
        onChange={(e) => choose(e.target.value || null)}
      >
        <option value="">
          {companyZone} ({zoneAbbreviation(now, companyZone)}), the company&apos;s
        </option>
        {options.map((z) => (
          <option key={z} value={z}>
            {z} ({zoneAbbreviation(now, z)}){z === browserZone ? ", this browser's" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
