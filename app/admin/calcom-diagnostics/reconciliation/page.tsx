import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { ReconcilePanel } from "./reconcile-panel";

export default async function ReconciliationPage(props: PageProps<"/admin/calcom-diagnostics/reconciliation">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  return (
    <>
      <PageHeader
        title="Reconciliation"
        description="Local appointments compared with Cal.com bookings: missing, orphaned, drifted and duplicated. Cal.com delivers webhooks at most once, so this is the ground truth."
      />
      <ReconcilePanel companyId={companyId} canOperate={hasRole(user.role, "operator")} />
    </>
  );
}
