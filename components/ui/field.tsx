import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

const INPUT =
  "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";

export function Field({
  label,
  hint,
  error,
  className = "",
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: ReactNode;
  /** Width in a row of fields (w-56, flex-1 ...). */
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={`block text-sm ${className}`}>
      <span className="mb-1 block font-medium text-slate-700">{label}</span>
      {children}
      {hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
      {error && <span className="mt-1 block text-xs text-red-600">{error}</span>}
    </label>
  );
}

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input {...props} className={`${INPUT} ${props.className ?? ""}`} />;
}

export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...props} className={`${INPUT} ${props.className ?? ""}`} />;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "className">;

/** A required number with its allowed range (min, max) given to the browser, which refuses anything outside it. */
export function NumberField({
  label,
  hint,
  className,
  ...input
}: InputProps & { label: string; hint?: ReactNode; className?: string }) {
  return (
    <Field label={label} hint={hint} className={className}>
      <Input type="number" required {...input} />
    </Field>
  );
}

/** An on/off setting: the box and its words in one label, so a click on the words flips it too. */
export function Checkbox({
  children,
  title,
  className = "flex items-center gap-2",
  ...input
}: InputProps & { children: ReactNode; title?: string; className?: string }) {
  return (
    <label className={className} title={title}>
      <input type="checkbox" {...input} />
      {children}
    </label>
  );
}
