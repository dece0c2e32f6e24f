"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * A panel's filters live in the URL, so a reload or a shared link keeps them. Typing updates the inputs at once and
 * the URL (and so the query) after a short pause.
 */
export function useUrlFilters<K extends string>(keys: readonly K[], delayMs = 300) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const fromUrl = Object.fromEntries(keys.map((k) => [k, search.get(k) ?? ""])) as Record<K, string>;
  const [draft, setDraft] = useState(fromUrl);
  const urlKey = keys.map((k) => fromUrl[k]).join("\u0000");
  const draftKey = keys.map((k) => draft[k]).join("\u0000");

  useEffect(() => {
    if (draftKey === urlKey) return;
    const timer = setTimeout(() => {
      const next = new URLSearchParams(search.toString());
      for (const k of keys) {
        const value = draft[k].trim();
        if (value) next.set(k, value);
        else next.delete(k);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    }, delayMs);
    return () => clearTimeout(timer);
    // draftKey/urlKey stand for draft and the URL values.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey, urlKey]);

  const set = (key: K, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  /** The filters as applied (the URL's), for the query. */
  const applied = Object.fromEntries(keys.map((k) => [k, fromUrl[k] || undefined])) as Record<K, string | undefined>;
  return { draft, set, applied };
}
