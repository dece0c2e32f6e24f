"use client";

import { useState } from "react";
import { useDisplayZone } from "@/lib/client/display-zone";
import { fromDateTimeLocalValue, toDateTimeLocalValue, zoneAbbreviation } from "@/lib/time/format";
import { Field, Input } from "./field";
import { useNow } from "@/lib/client/use-now";

/**
 * A wall-clock input in the display zone (never the browser's): the value is typed and shown on that zone's clock
 * and converted to an instant with it. `initial` null leaves it empty (an optional filter).
 */
export type ZonedDateTime = {
  value: string;
  setValue: (value: string) => void;
  zone: string;
  instant: Date | null;
  iso: string | undefined;
};

export function useZonedDateTime(initial: Date | null): ZonedDateTime {
  const { zone } = useDisplayZone();
  const [value, setValue] = useState(() => (initial ? toDateTimeLocalValue(initial, zone) : ""));
  const instant = value ? fromDateTimeLocalValue(value, zone) : null;
  return { value, setValue, zone, instant, iso: instant?.toISOString() };
}

type Props = {
  label: string;
  state: ZonedDateTime;
  required?: boolean;
  hint?: string;
  /** Refuse times before now (a hold that must end in the future). */
  isFutureOnly?: boolean;
  className?: string;
};

export function ZonedDateTimeField({ label, state, required, hint, isFutureOnly, className }: Props) {
  const { value, setValue, zone, instant } = state;
  const now = useNow();
  const isPast = isFutureOnly && instant !== null && instant.getTime() <= now;
  return (
    <Field
      label={`${label} (${zone}, ${zoneAbbreviation(instant ?? now, zone)})`}
      hint={hint}
      error={isPast ? "That time has passed: pick a time in the future." : undefined}
      className={className}
    >
      <Input
        type="datetime-local"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required={required}
        min={isFutureOnly ? toDateTimeLocalValue(now, zone) : undefined}
        aria-invalid={isPast || undefined}
      />
    </Field>
  );
}
