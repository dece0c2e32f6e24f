/** Where a rescheduled appointment came from: the uid it replaced and its earlier uids (Cal.com gives each reschedule a new uid). */
export function UidChain({
  previousUids,
  rescheduledFromUid,
}: {
  previousUids?: string[];
  rescheduledFromUid?: string | null;
}) {
  if (!previousUids?.length && !rescheduledFromUid) return null;
  return (
    <span className="text-xs text-slate-600" data-testid="uid-chain">
      {rescheduledFromUid && (
        <>
          rescheduled from <span className="font-mono">{rescheduledFromUid}</span>
        </>
      )}
      {previousUids && previousUids.length > 0 && (
        <>
          {rescheduledFromUid ? " · " : ""}earlier uids <span className="font-mono">{previousUids.join(" → ")}</span>
        </>
      )}
    </span>
  );
}

/** The same as text, for step logs. */
export function uidChainText(a: { previousUids?: string[]; rescheduledFromUid?: string | null }): string {
  if (!a.previousUids?.length && !a.rescheduledFromUid) return "";
  return `; rescheduled from ${a.rescheduledFromUid ?? "?"} (earlier uids: ${(a.previousUids ?? []).join(" → ") || "none"})`;
}
