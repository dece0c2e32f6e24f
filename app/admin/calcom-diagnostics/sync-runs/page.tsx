import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { SyncRunsPanel } from "./sync-runs-panel";

export default async function SyncRunsPage(props: PageProps<"/admin/calcom-diagnostics/sync-runs">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  return (
    <>
      <PageHeader
        title="Sync runs"
        description="Event-type sync runs per company: what each run found, matched, imported and orphaned. A run never deactivates a service on an empty or failed answer; orphans go to the Services review."
      />
      <SyncRunsPanel companyId={companyId} canOperate={hasRole(user.role, "operator")} />
    </>
  );
}
