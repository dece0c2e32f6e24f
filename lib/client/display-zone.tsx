"use client";

import { useSearchParams } from "next/navigation";
import { createContext, useContext, useState, type ReactNode } from "react";

import { DISPLAY_ZONE_COOKIE } from "./display-zone-cookie";

type ZoneCompany = { id: number; timeZone: string; isDefault: boolean };
type DisplayZone = { zone: string; isChosen: boolean; companyZone: string; choose: (zone: string | null) => void };

const Context = createContext<DisplayZone>({ zone: "UTC", isChosen: false, companyZone: "UTC", choose: () => {} });

/**
 * Every time on every panel is shown in one zone: the one the viewer chose in the header, else the selected company's
 * (or the default company's when all are shown).
 */
export function DisplayZoneProvider({
  companies,
  chosen: initial,
  children,
}: {
  companies: ZoneCompany[];
  chosen: string | null;
  children: ReactNode;
}) {
  const search = useSearchParams();
  const [chosen, setChosen] = useState(initial);
  const choose = (zone: string | null) => {
    document.cookie = zone
      ? `${DISPLAY_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`
      : `${DISPLAY_ZONE_COOKIE}=; path=/; max-age=0; samesite=lax`;
    setChosen(zone);
  };
  const selected = Number(search.get("company"));
  const company = companies.find((c) => c.id === selected) ?? companies.find((c) => c.isDefault) ?? companies[0];
  const companyZone = company?.timeZone ?? "UTC";
  return (
    <Context.Provider value={{ zone: chosen ?? companyZone, isChosen: chosen !== null, companyZone, choose }}>
      {children}
    </Context.Provider>
  );
}

export function useDisplayZone(): DisplayZone {
  return useContext(Context);
}
