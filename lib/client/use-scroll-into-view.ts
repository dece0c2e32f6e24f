"use client";

import { useEffect, useRef } from "react";

/** A detail opened from a list scrolls into view (above the list, never far below it) whenever `key` changes. */
export function useScrollIntoView<T extends HTMLElement = HTMLDivElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "start", behavior: "instant" });
  }, [key]);
  return ref;
}
