"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { Field, Input } from "./field";

type Props = {
  /** The button that opens the confirmation; name it by its effect ("Cancel the booking in Cal.com…"). */
  label: string;
  ariaLabel?: string;
  /** The dialog's title, e.g. "Deactivate Herrenhaarschnitt?". */
  title: string;
  /** What will happen, in plain words: who is affected and whether it can be undone. */
  description: ReactNode;
  confirmLabel: string;
  variant?: "primary" | "secondary" | "danger";
  buttonClassName?: string;
  disabled?: boolean;
  /** Extra fields (a date, a choice) shown above the reason. */
  children?: ReactNode;
  /** Runs the action with the reason typed; the dialog stays open and shows the error if it rejects. */
  onConfirm: (reason: string) => Promise<unknown>;
};

/**
 * Every destructive or outward action goes through this: it says what will happen, asks for a reason (written to the
 * audit log) and disables itself while the request runs.
 */
export function ConfirmAction({
  label,
  ariaLabel,
  title,
  description,
  confirmLabel,
  variant = "danger",
  buttonClassName,
  disabled,
  children,
  onConfirm,
}: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState("");
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    dialog.current?.close();
    setError(null);
  };
  return (
    <>
      <Button
        type="button"
        variant={variant === "danger" ? "danger" : "secondary"}
        className={buttonClassName}
        aria-label={ariaLabel}
        disabled={disabled || isPending}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-[28rem] max-w-[92vw] rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40"
        onClose={() => setError(null)}
      >
        <form
          className="space-y-3 p-4 text-left text-sm"
          onSubmit={async (e) => {
            e.preventDefault();
            setIsPending(true);
            setError(null);
            try {
              await onConfirm(reason.trim());
              setReason("");
              close();
            } catch (err) {
              setError(err instanceof Error ? err.message : String(err));
            } finally {
              setIsPending(false);
            }
          }}
        >
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <div className="text-slate-700">{description}</div>
          {children}
          <Field label="Reason" hint="Required. Written to the audit log with your name.">
            <Input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={500}
              autoFocus
            />
          </Field>
          {error && <p className="text-red-600">{error}</p>}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={close}>
              Keep as is
            </Button>
            <Button type="submit" variant={variant === "danger" ? "danger" : "primary"} disabled={isPending}>
              {isPending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
