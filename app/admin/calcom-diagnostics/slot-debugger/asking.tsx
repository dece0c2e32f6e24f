"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { CALCOM_TIMEOUT_MS, MAX_READ_ATTEMPTS } from "@/lib/calcom/timeouts";

/** While Cal.com is asked: seconds waited, Cal.com's own limit, and a way out. */
export function Asking({ onCancel }: { onCancel: () => void }) {
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.floor((now - started) / 1000);
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-600"
    >
      <span>
        Asking Cal.com… {seconds} s. Each try waits up to {CALCOM_TIMEOUT_MS / 1000} s, up to {MAX_READ_ATTEMPTS} tries
        when Cal.com does not answer.
      </span>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
