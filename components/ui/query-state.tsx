import type { ReactNode } from "react";

/** While a panel's first answer is on its way. */
export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p role="status" className="text-sm text-slate-500">
      {what}…
    </p>
  );
}

/** A request that failed: the server's safe message and, where it helps, a way to try again. */
export function ErrorMessage({
  error,
  onRetry,
}: {
  error: { message: string } | null | undefined;
  onRetry?: () => void;
}): ReactNode {
  if (!error) return null;
  return (
    <p className="text-sm text-red-600" data-testid="error-message">
      {error.message}
      {onRetry && (
        <button type="button" className="ml-2 underline" onClick={onRetry}>
          Try again
        </button>
      )}
    </p>
  );
}
