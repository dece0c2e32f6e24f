import "server-only";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import {
  fidelityPatchSchema,
  readFidelity,
  REAL_CALCOM_FIDELITY,
  setSandboxFidelity,
  type SandboxFidelity,
} from "./fidelity";
import type { Db } from "@/lib/db/types";

/** The Sandbox panel's fidelity switches (docs/calcom-fidelity.md): the same as /_control/fidelity, but audited. */

export const updateFidelitySchema = z.union([
  z.object({ preset: z.enum(["real-calcom", "defaults"]) }).strict(),
  fidelityPatchSchema,
]);
export type UpdateFidelityInput = z.infer<typeof updateFidelitySchema>;

export async function getSandboxFidelity(db: Db): Promise<SandboxFidelity> {
  return readFidelity(db);
}

export async function updateSandboxFidelity(
  db: Db,
  opts: { input: UpdateFidelityInput; actor: Actor },
): Promise<SandboxFidelity> {
  const input = updateFidelitySchema.parse(opts.input);
  return db.transaction(async (tx) => {
    const next =
      "preset" in input
        ? await setSandboxFidelity(tx, input.preset === "real-calcom" ? REAL_CALCOM_FIDELITY : {}, { replace: true })
        : await setSandboxFidelity(tx, input);
    await writeAudit(tx, {
      actor: opts.actor,
      action: "sandbox.fidelity.update",
      targetType: "sandbox",
      details: input as Record<string, unknown>,
    });
    return next;
  });
}
