"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { formatMinutes } from "@/lib/time/format";
import { ReceiverSettingsForm } from "./receiver-settings-form";

type Row = {
  companyId: number;
  companyName: string;
  lastVerifiedAt: string | null;
  lastDeliveryAt: string | null;
  silenceThresholdMinutes: number;
  payloadRetentionDays: number;
  hasBookings: boolean;
  isSilent: boolean;
  allowUnsigned: boolean;
  applyUnverifiedMeetings: boolean;
  hasSecret: boolean;
};

/** Last verified delivery per company, silence warnings, and the receiver settings (admins edit them). */
export function FreshnessCard({ companyId, canConfigure }: { companyId?: number; canConfigure: boolean }) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.webhookFreshness(companyId),
    queryFn: () =>
      fetchJson<{ companies: Row[] }>(
        `/api/admin/calcom/webhooks/freshness${companyId ? `?companyId=${companyId}` : ""}`,
      ),
    refetchInterval: 30_000,
  });
  const save = useMutation({
    mutationFn: (body: {
      companyId: number;
      allowUnsigned?: boolean;
      applyUnverifiedMeetings?: boolean;
      silenceThresholdMinutes?: number;
      payloadRetentionDays?: number;
    }) => fetchJson("/api/admin/calcom/webhooks/settings", { method: "PUT", json: body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["webhooks", "freshness"] }),
  });
  return (
    <Card title="Freshness">
      {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
      <ul className="divide-y divide-slate-100 text-sm" aria-label="Webhook freshness per company">
        {query.data?.companies.map((c) => (
          <li key={c.companyId} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <span className="font-medium">{c.companyName}</span>{" "}
              <span className="text-slate-600">
                last verified delivery: <Time at={c.lastVerifiedAt} />
              </span>{" "}
              {c.isSilent && (
                <Badge tone="amber">
                  No verified delivery for over {formatMinutes(c.silenceThresholdMinutes)} while bookings exist
                </Badge>
              )}
              {c.allowUnsigned && (
                <Badge tone="red">Accepts unsigned deliveries: anyone who knows the URL can post</Badge>
              )}
              {!c.hasSecret && !c.allowUnsigned && (
                <Badge tone="amber">No webhook secret: every delivery will be rejected</Badge>
              )}
            </span>
            {canConfigure && (
              <span className="flex items-center gap-2 text-xs">
                <label className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={c.allowUnsigned}
                    onChange={(e) => save.mutate({ companyId: c.companyId, allowUnsigned: e.target.checked })}
                  />
                  Allow unsigned ({c.companyName})
                </label>
                <label
                  className="flex items-center gap-1"
                  title="Cal.com sends MEETING_STARTED/ENDED unsigned when it no longer finds its webhook row; they are always kept in the log as unverified"
                >
                  <input
                    type="checkbox"
                    checked={c.applyUnverifiedMeetings}
                    onChange={(e) => save.mutate({ companyId: c.companyId, applyUnverifiedMeetings: e.target.checked })}
                  />
                  Apply unsigned meeting events ({c.companyName})
                </label>
                <ReceiverSettingsForm row={c} />
              </span>
            )}
          </li>
        ))}
      </ul>
      {save.error && <p className="mt-2 text-sm text-red-600">{save.error.message}</p>}
    </Card>
  );
}
