import type { ReactNode } from "react";
import { Button } from "./button";

/** A form that runs one action on submit instead of posting the page; the label names it for readers and tests. */
export function ActionForm({
  label,
  onSubmit,
  className,
  children,
}: {
  label: string;
  onSubmit: () => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      aria-label={label}
      className={className}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** The save button of a settings form, with what came of the last save beside it ("Saved." or the server's words). */
export function SaveRow({
  save,
  label,
  isHidden,
  isDisabled,
}: {
  save: { isPending: boolean; isSuccess: boolean; error: { message: string } | null };
  label: string;
  /** Viewers see the settings without the button. */
  isHidden?: boolean;
  isDisabled?: boolean;
}) {
  return (
    <div className="flex items-center gap-3 sm:col-span-2">
      <Button type="submit" hidden={isHidden} disabled={save.isPending || isDisabled}>
        {label}
      </Button>
      {save.isSuccess && <span className="text-sm text-emerald-700">Saved.</span>}
      {save.error && <span className="text-sm text-red-600">{save.error.message}</span>}
    </div>
  );
}
