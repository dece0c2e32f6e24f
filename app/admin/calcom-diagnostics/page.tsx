import { PanelPage } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { AlertsList } from "./alerts-list";
import { OverviewGrid } from "./overview-grid";
import { WatchdogCard } from "./watchdog-card";

export default async function OverviewPage(props: PageProps<"/admin/calcom-diagnostics">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  return (
    <PanelPage
      title="Overview"
      description="Is Cal.com healthy for each company, and if not, why. Every line links to its panel."
    >
      <OverviewGrid companyId={companyId} />
      <WatchdogCard companyId={companyId} canOperate={hasRole(user.role, "operator")} />
      <AlertsList companyId={companyId} canOperate={hasRole(user.role, "operator")} />
    </PanelPage>
  );
}
