import type { DebugResult } from "./context";

/** Plain-text report of a slot debug, for the CLI and for pasting into a support ticket. */
export function formatDebugReport(r: DebugResult): string {
  const lines: string[] = [];
  const et = r.context.eventTypeTitle ? `${r.eventTypeId} "${r.context.eventTypeTitle}"` : String(r.eventTypeId);
  lines.push(
    `Company ${r.companyName} (${r.companyId}), event type ${et}${r.service ? `, service "${r.service.name}"${r.service.isActive ? "" : " (inactive)"}` : ""}`,
  );
  lines.push(
    `Range ${r.range.from}..${r.range.to} in ${r.timeZone} (UTC ${r.range.start} .. ${r.range.end}), circuit ${r.context.circuitState ?? "unknown"}`,
  );
  lines.push(
    `Request: ${r.request.method} ${r.request.path}?${new URLSearchParams(r.request.query).toString()}  cal-api-version: ${r.request.version}`,
  );
  lines.push(
    r.error
      ? `Answer: ${r.error.calCode} ${r.error.status ?? ""} ${r.error.message} (${r.error.hint})`
      : `Answer: HTTP ${r.response?.status ?? "?"} in ${r.durationMs} ms, ${r.slots.length} slots`,
  );
  let day = "";
  for (const s of r.slots) {
    if (s.localDate !== day) lines.push(`  ${(day = s.localDate)}:`);
    lines.push(`    ${s.localTime} local  ${s.utcTime} UTC`);
  }
  for (const w of r.context.warnings) lines.push(`Warning: ${w}`);
  if (r.why) {
    lines.push(`Why not ${r.why.local}? ${r.why.isOffered ? "Cal.com offers it." : "Not offered."}`);
    r.why.reasons.forEach((reason, i) => lines.push(`  ${i + 1}. ${reason.title}: ${reason.detail}`));
    if (r.why.isUnexplained)
      lines.push(
        "  No known rule explains it: check host calendars (external busy times), booking limits and hosts in Cal.com.",
      );
  }
  return lines.join("\n");
}
