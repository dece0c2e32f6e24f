"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { CompanyOptions, type CompanyChoice } from "./company-options";

export function CompanySwitcher({ companies }: { companies: CompanyChoice[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const selected = search.get("company") ?? "";
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-600">Company</span>
      <select
        aria-label="Company"
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
        value={selected}
        onChange={(e) => {
          const next = new URLSearchParams(search.toString());
          if (e.target.value) next.set("company", e.target.value);
          else next.delete("company");
          const qs = next.toString();
          router.push(qs ? `${pathname}?${qs}` : pathname);
        }}
      >
        <option value="">All companies</option>
        <CompanyOptions companies={companies} />
      </select>
    </label>
  );
}
