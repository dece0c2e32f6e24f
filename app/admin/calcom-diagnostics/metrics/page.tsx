import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { listCompanyRows } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { parseCompanyParam } from "@/lib/http/company-param";
import { MetricsPanel } from "./metrics-panel";

export const dynamic = "force-dynamic";

export default async function MetricsPage(props: PageProps<"/admin/calcom-diagnostics/metrics">) {
  await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const names = Object.fromEntries((await listCompanyRows(await getDb())).map((c) => [c.id, c.name]));
  return (
    <>
      <PageHeader
        title="Metrics"
        description="API success rate, latency, calls per endpoint family, circuit trips, cache hits, bookings, webhooks, sync runs and the manual queue over 1 h, 24 h or 7 d. Computed in PostgreSQL from the call log."
      />
      <MetricsPanel companyId={companyId} names={names} />
    </>
  );
}
