"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { SandboxFidelity } from "@/lib/calcom-sandbox/fidelity";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";

const SWITCHES: { key: Exclude<keyof SandboxFidelity, "meetingSignature">; label: string }[] = [
  { key: "webhookBeforeAnswer", label: "Send the webhook before the API answer (§8.2)" },
  { key: "requestedWithoutRescheduleFields", label: "BOOKING_REQUESTED of a reschedule without rescheduleUid (§8.3)" },
  { key: "scheduleOwnerOnly", label: "Schedules only for their owner (§8.6)" },
  { key: "orgAdminApi", label: "Organization routes have the admin API (§8.7)" },
];

/** Which real Cal.com behaviours the sandbox models (docs/calcom-fidelity.md). */
export function FidelityCard({ canOperate }: { canOperate: boolean }) {
  const client = useQueryClient();
  const state = useQuery({
    queryKey: queryKeys.sandboxFidelity,
    queryFn: () => fetchJson<{ fidelity: SandboxFidelity }>("/api/admin/calcom/sandbox/fidelity"),
  });
  const save = useMutation({
    mutationFn: (json: object) => fetchJson("/api/admin/calcom/sandbox/fidelity", { method: "PUT", json }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.sandboxFidelity }),
  });
  const f = state.data?.fidelity;
  return (
    <Card
      title="Cal.com fidelity"
      actions={
        canOperate && (
          <span className="flex gap-2">
            <Button
              variant="secondary"
              onClick={() => save.mutate({ preset: "real-calcom" })}
              disabled={save.isPending}
            >
              Real Cal.com settings
            </Button>
            <Button variant="secondary" onClick={() => save.mutate({ preset: "defaults" })} disabled={save.isPending}>
              Defaults
            </Button>
          </span>
        )
      }
    >
      {(state.error ?? save.error) && (
        <p className="mb-2 text-sm text-red-600">{(state.error ?? save.error)?.message}</p>
      )}
      {f && (
        <div className="flex flex-col gap-2 text-sm">
          {SWITCHES.map((s) => (
            <label key={s.key} className="flex items-center gap-2">
              <input
                type="checkbox"
                disabled={!canOperate}
                checked={f[s.key]}
                onChange={(e) => save.mutate({ [s.key]: e.target.checked })}
              />
              {s.label}
            </label>
          ))}
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              disabled={!canOperate}
              checked={f.meetingSignature === "unsigned"}
              onChange={(e) => save.mutate({ meetingSignature: e.target.checked ? "unsigned" : "signed" })}
            />
            Send MEETING_STARTED/ENDED unsigned (§8.5)
          </label>
        </div>
      )}
    </Card>
  );
}
