import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { Suspense } from "react";
import { requireUser } from "@/lib/auth/session";
import { listCompanies } from "@/lib/companies/companies";
import { Toaster } from "@/components/ui/toaster";
import { DisplayZoneProvider } from "@/lib/client/display-zone";
import { DISPLAY_ZONE_COOKIE } from "@/lib/client/display-zone-cookie";
import { getDb } from "@/lib/db/client";
import { isValidTimeZone } from "@/lib/time/zoned";
import { CompanySwitcher } from "./company-switcher";
import { Nav } from "./nav";
import { OperatingModeBanner } from "./operating-mode-banner";
import { SignOutButton } from "./sign-out-button";
import { ZonePicker } from "./zone-picker";

export const dynamic = "force-dynamic";

export default async function DiagnosticsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser("viewer");
  const companies = await listCompanies(await getDb());
  const sandboxCompanies = companies.filter((c) => c.calcom.isSandbox);
  const chosenZone = (await cookies()).get(DISPLAY_ZONE_COOKIE)?.value ?? "";
  return (
    <DisplayZoneProvider
      companies={companies.map((c) => ({ id: c.id, timeZone: c.timeZone, isDefault: c.isDefault }))}
      chosen={chosenZone && isValidTimeZone(chosenZone) ? chosenZone : null}
    >
      <Toaster>
        <div className="min-h-screen">
          {sandboxCompanies.length > 0 && (
            <div
              role="status"
              data-testid="sandbox-banner"
              className="bg-amber-400 px-4 py-1.5 text-center text-sm font-medium text-amber-950"
            >
              Cal.com sandbox in use for {sandboxCompanies.map((c) => c.name).join(", ")}: calls go to the built-in
              sandbox, not a real Cal.com account.
            </div>
          )}
          <OperatingModeBanner />
          <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-5 py-2.5">
            <span className="font-semibold">Cal.com Diagnostics</span>
            <div className="flex flex-wrap items-center gap-4">
              <Suspense>
                <CompanySwitcher companies={companies.map((c) => ({ id: c.id, name: c.name }))} />
              </Suspense>
              <ZonePicker />
              <span className="text-sm text-slate-600" data-testid="current-user">
                {user.email} · {user.role}
              </span>
              <SignOutButton />
            </div>
          </header>
          <div className="flex">
            <aside className="w-48 shrink-0 border-r border-slate-200 bg-white p-3">
              <Suspense>
                <Nav />
              </Suspense>
            </aside>
            <main className="min-w-0 flex-1 p-6">{children}</main>
          </div>
        </div>
      </Toaster>
    </DisplayZoneProvider>
  );
}
