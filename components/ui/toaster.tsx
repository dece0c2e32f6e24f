"use client";

import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

type Tone = "success" | "error" | "info";
type Toast = { id: number; text: string; tone: Tone };
type Notify = (text: string, tone?: Tone) => void;

const Context = createContext<Notify>(() => {});
const TONES: Record<Tone, string> = {
  success: "border-emerald-300 bg-emerald-50 text-emerald-900",
  error: "border-red-300 bg-red-50 text-red-900",
  info: "border-slate-300 bg-white text-slate-800",
};

/** After every action, one line saying what happened; it stays 8 s (errors until dismissed). */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (text, tone = "success") => {
      const id = Date.now() + Math.random();
      setToasts((all) => [...all.slice(-3), { id, text, tone }]);
      if (tone !== "error") setTimeout(() => dismiss(id), 8_000);
    },
    [dismiss],
  );
  return (
    <Context.Provider value={notify}>
      {children}
      <div
        aria-live="polite"
        data-testid="toasts"
        className="fixed bottom-4 right-4 z-50 flex w-96 max-w-[90vw] flex-col gap-2"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.tone === "error" ? "alert" : "status"}
            data-testid="toast"
            className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm shadow ${TONES[t.tone]}`}
          >
            <span className="flex-1">{t.text}</span>
            <button
              type="button"
              aria-label="Dismiss"
              className="text-xs opacity-60 hover:opacity-100"
              onClick={() => dismiss(t.id)}
            >
              ✕
            </button>
          </div>
        ))}
      </div>
    </Context.Provider>
  );
}

export function useToast(): Notify {
  return useContext(Context);
}
