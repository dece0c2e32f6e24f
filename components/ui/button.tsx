"use client";

import { useSyncExternalStore, type ButtonHTMLAttributes } from "react";

const VARIANTS = {
  primary: "bg-slate-900 text-white hover:bg-slate-700 disabled:bg-slate-400",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300",
} as const;

const noSubscription = () => () => {};
/** False while the server renders and React hydrates, true once the page's scripts run. */
const useHydrated = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

export function Button({
  variant = "primary",
  className = "",
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof VARIANTS }) {
  // A click handler is attached only by hydration: until then the button shows it cannot act yet, rather than
  // swallowing the click (an operator on a slow connection, or a test, clicking as the page appears).
  const isHydrated = useHydrated();
  return (
    <button
      className={`inline-flex items-center justify-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium transition disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`}
      disabled={disabled || (props.onClick !== undefined && !isHydrated)}
      {...props}
    />
  );
}
