import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { CircuitPanel } from "./circuit-panel";

export default async function CircuitPage(props: PageProps<"/admin/calcom-diagnostics/circuit">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  return (
    <>
      <PageHeader
        title="Circuit"
        description="The circuit breaker around each company's Cal.com API: closed until repeated failures open it, then half-open trial calls decide. Shared by every app instance."
      />
      <CircuitPanel companyId={companyId} canOperate={hasRole(user.role, "operator")} />
    </>
  );
}
