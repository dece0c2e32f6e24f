/** A progress bar that shows failures in red beside successes in green (never one colour for both). */
export function ProgressBar({
  done,
  failed,
  total,
  label,
}: {
  done: number;
  failed: number;
  total: number;
  label: string;
}) {
  const pct = (n: number) => `${total > 0 ? (n / total) * 100 : 0}%`;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done + failed}
      className="flex h-3 w-full overflow-hidden rounded bg-slate-200"
    >
      <div data-part="done" className="h-full bg-emerald-500" style={{ width: pct(done) }} />
      <div data-part="failed" className="h-full bg-red-500" style={{ width: pct(failed) }} />
    </div>
  );
}
