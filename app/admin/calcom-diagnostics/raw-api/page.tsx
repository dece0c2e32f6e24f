import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listCompanyRows } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { parseCompanyParam } from "@/lib/http/company-param";
import { RawApiConsole } from "./raw-api-console";

export const dynamic = "force-dynamic";

export default async function RawApiPage(props: PageProps<"/admin/calcom-diagnostics/raw-api">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const companies = (await listCompanyRows(await getDb())).map((c) => ({
    id: c.id,
    name: c.name,
    isDefault: c.isDefault,
  }));
  return (
    <>
      <PageHeader
        title="Raw API"
        description="Read-only GET requests to Cal.com through the company's client: its key (never shown), the cal-api-version of the path's family, the circuit breaker and rate limit. Every request is audited."
      />
      {hasRole(user.role, "operator") ? (
        <RawApiConsole
          companies={companies}
          initialCompanyId={companyId ?? companies.find((c) => c.isDefault)?.id ?? companies[0]?.id}
        />
      ) : (
        // It calls Cal.com with the company's key: operators only (the route enforces it too).
        <EmptyState title="For operators">
          The raw API console sends requests with the company&apos;s Cal.com key, so it needs the operator role.
        </EmptyState>
      )}
    </>
  );
}
