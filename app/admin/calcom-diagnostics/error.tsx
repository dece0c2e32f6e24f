"use client";

import { Button } from "@/components/ui/button";

/** A panel that failed to render: say so, keep the shell, offer a retry. The digest matches the server log line. */
export default function PanelError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p className="font-medium">This panel could not be shown.</p>
      <p className="mt-1">{error.digest ? `The server logged it as ${error.digest}.` : error.message}</p>
      <Button className="mt-3" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
