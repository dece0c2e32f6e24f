"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** A new password for one user, in a form with the rule shown (no prompt()). */
export function ResetPassword({ email, onSave }: { email: string; onSave: (password: string) => Promise<unknown> }) {
  const [isOpen, setIsOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!isOpen) {
    return (
      <Button variant="secondary" aria-label={`Reset password of ${email}`} onClick={() => setIsOpen(true)}>
        Reset password…
      </Button>
    );
  }
  return (
    <form
      aria-label={`New password for ${email}`}
      className="mt-2 flex flex-wrap items-end justify-end gap-2 text-left"
      onSubmit={async (e) => {
        e.preventDefault();
        setIsPending(true);
        setError(null);
        try {
          await onSave(password);
          setPassword("");
          setIsOpen(false);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        } finally {
          setIsPending(false);
        }
      }}
    >
      <div className="w-56">
        <Field label="New password" hint="At least 12 characters.">
          <Input
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
      </div>
      <Button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Set password"}
      </Button>
      <Button type="button" variant="secondary" onClick={() => setIsOpen(false)}>
        Close
      </Button>
      {error && <p className="w-full text-sm text-red-600">{error}</p>}
    </form>
  );
}
