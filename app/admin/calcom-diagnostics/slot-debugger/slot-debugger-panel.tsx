"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { queryKeys } from "@/lib/client/query-keys";
import type { DebugSlot } from "@/lib/slots/context";
import { Asking } from "./asking";
import { CallerModeBanner } from "./caller-mode-banner";
import { DebugForm } from "./debug-form";
import { Inspector } from "./inspector";
import { RecentQueries } from "./recent-queries";
import { SlotList } from "./slot-list";
import { TestBooking } from "./test-booking";
import { useCompanies } from "@/lib/client/queries/companies";
import { PARAM_NAMES, readParams, useSlotDebug, type DebugParams } from "./use-slot-debug";
import { WhyNot } from "./why-not";

export function SlotDebuggerPanel({ canOperate }: { canOperate: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const companies = useCompanies();
  const list = companies.data?.companies ?? [];
  const companyId = Number(search.get("company")) || list.find((c) => c.isDefault)?.id || list[0]?.id;
  // Without ?company= the debugger works on the default company (the shell's switcher narrows it).
  const params = { ...readParams(search), company: search.get("company") || (companyId ? String(companyId) : "") };
  const debug = useSlotDebug(params);
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<DebugSlot | null>(null);
  const [isCancelled, setIsCancelled] = useState(false);

  useEffect(() => {
    // Each finished debug was recorded: show it in the recent queries.
    if (debug.dataUpdatedAt)
      void queryClient.invalidateQueries({ queryKey: queryKeys.slotQueries(debug.data?.companyId) });
  }, [debug.dataUpdatedAt, debug.data?.companyId, queryClient]);

  function navigate(next: DebugParams, mode: "push" | "replace" = "push") {
    const qs = new URLSearchParams();
    for (const name of PARAM_NAMES) if (next[name]) qs.set(name, next[name]);
    const url = `${pathname}?${qs}`;
    if (mode === "push") router.push(url, { scroll: false });
    else router.replace(url, { scroll: false });
  }

  function submit(next: DebugParams) {
    setPicked(null);
    setIsCancelled(false);
    const same = PARAM_NAMES.every((n) => n === "at" || next[n] === params[n]);
    // The same inputs again means "ask Cal.com again".
    if (same) void debug.refetch();
    else navigate(next);
  }

  return (
    <div className="space-y-5">
      <DebugForm
        key={PARAM_NAMES.filter((n) => n !== "at")
          .map((n) => params[n])
          .join("|")}
        params={params}
        onSubmit={submit}
        isAsking={debug.isFetching}
      />
      {companyId && <CallerModeBanner companyId={companyId} />}
      {debug.isFetching && (
        <Asking
          onCancel={() => {
            setIsCancelled(true);
            void queryClient.cancelQueries({ queryKey: ["slot-debug"] });
          }}
        />
      )}
      {isCancelled && !debug.isFetching && (
        <p className="text-sm text-slate-600" role="status">
          Cancelled: the slots shown (if any) are from the previous answer. Show slots asks again.
        </p>
      )}
      {debug.error && (
        <p className="text-sm text-red-600" role="status">
          {debug.error.message}
        </p>
      )}
      {!debug.data && !debug.isFetching && !debug.error && (
        <EmptyState title="Pick a service and a day">
          The slots Cal.com offers appear here in local time and UTC, with the exact request, the raw response and the
          reasons a time is missing.
        </EmptyState>
      )}
      {debug.data && (
        <>
          <SlotList result={debug.data} picked={picked?.start ?? null} onPick={canOperate ? setPicked : undefined} />
          <WhyNot result={debug.data} at={params.at} onChange={(at) => navigate({ ...params, at }, "replace")} />
          {canOperate && (
            <TestBooking
              result={debug.data}
              slot={picked}
              onChanged={() => {
                // A booked or cancelled time changes what Cal.com offers: drop the pick and ask again.
                setPicked(null);
                void debug.refetch();
              }}
            />
          )}
          <Inspector result={debug.data} />
        </>
      )}
      {companyId && <RecentQueries companyId={companyId} />}
    </div>
  );
}
