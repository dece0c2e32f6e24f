"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { BASE_PATH, NAV_ITEMS } from "./nav-items";

/** Sidebar; keeps the selected company (?company=) when moving between panels. */
export function Nav() {
  const pathname = usePathname();
  const search = useSearchParams();
  const company = search.get("company");
  const suffix = company ? `?company=${encodeURIComponent(company)}` : "";
  return (
    <nav aria-label="Panels" className="flex flex-col gap-0.5">
      {NAV_ITEMS.map((item) => {
        const href = `${BASE_PATH}${item.href}`;
        const isActive = item.href === "" ? pathname === BASE_PATH : pathname.startsWith(href);
        return (
          <Link
            key={item.href}
            href={`${href}${suffix}`}
            aria-current={isActive ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm ${isActive ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-200"}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
