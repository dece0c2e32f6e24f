"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { useWebhookFreshness } from "@/lib/client/queries/webhooks";
import type { updateWebhookSettingsSchema } from "@/lib/webhooks/settings";
import { formatMinutes } from "@/lib/time/format";
import { ReceiverSettingsForm } from "./receiver-settings-form";

const TOGGLES: { name: "allowUnsigned" | "applyUnverifiedMeetings"; label: string; title?: string }[] = [
  { name: "allowUnsigned", label: "Allow unsigned" },
  {
    name: "applyUnverifiedMeetings",
    label: "Apply unsigned meeting events",
    title:
      "Cal.com sends MEETING_STARTED/ENDED unsigned when it no longer finds its webhook row; they are always kept in the log as unverified",
  },
];

/** Last verified delivery per company, silence warnings, and the receiver settings (admins edit them). */
export function FreshnessCard({ companyId, canConfigure }: { companyId?: number; canConfigure: boolean }) {
  const client = useQueryClient();
  const query = useWebhookFreshness(companyId);
  const save = useMutation({
    mutationFn: (body: z.input<typeof updateWebhookSettingsSchema>) =>
      fetchJson("/api/admin/calcom/webhooks/settings", { method: "PUT", json: body }),
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
                {TOGGLES.map((t) => (
                  <Checkbox
                    key={t.name}
                    className="flex items-center gap-1"
                    title={t.title}
                    checked={c[t.name]}
                    onChange={(e) => save.mutate({ companyId: c.companyId, [t.name]: e.target.checked })}
                  >
                    {t.label} ({c.companyName})
                  </Checkbox>
                ))}
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
