import "server-only";
import { getSandboxFaults, resetSandboxFaults, setSandboxFaults, type FaultsPatch } from "./faults";
import { readRequestCounts } from "./settings";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";

/** The dashboard's Sandbox panel: the same fault controls as the sandbox's /_control endpoint, but audited. */
export async function getSandboxPanelState(db: Db) {
  const [faults, requests] = await Promise.all([getSandboxFaults(db), readRequestCounts(db)]);
  return { faults, requests };
}

export async function updateSandboxFaults(db: Db, opts: { patch: FaultsPatch; actor: Actor }) {
  const faults = await setSandboxFaults(db, opts.patch);
  await writeAudit(db, {
    actor: opts.actor,
    action: "sandbox.faults.update",
    targetType: "sandbox",
    details: opts.patch as Record<string, unknown>,
  });
  return faults;
}

export async function clearSandboxFaults(db: Db, opts: { actor: Actor }) {
  const faults = await resetSandboxFaults(db);
  await writeAudit(db, { actor: opts.actor, action: "sandbox.faults.reset", targetType: "sandbox" });
  return faults;
}
