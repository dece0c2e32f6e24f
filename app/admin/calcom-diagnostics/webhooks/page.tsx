import { PanelPage } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listCompanyRows } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { parseCompanyParam } from "@/lib/http/company-param";
import { DroppedCard } from "./dropped-card";
import { FreshnessCard } from "./freshness-card";
import { WebhookLog } from "./webhook-log";
import { WebhookTools } from "./webhook-tools";

export default async function WebhooksPage(props: PageProps<"/admin/calcom-diagnostics/webhooks">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const companies = (await listCompanyRows(await getDb())).map((c) => ({ id: c.id, name: c.name }));
  const canOperate = hasRole(user.role, "operator");
  return (
    <PanelPage
      title="Webhooks"
      description="Every Cal.com webhook delivery, verified or rejected, and what processing did with it. Cal.com keeps no delivery log: this is the only record."
    >
      <FreshnessCard companyId={companyId} canConfigure={hasRole(user.role, "admin")} />
      <WebhookLog companies={companies} initialCompanyId={companyId} canOperate={canOperate} />
      <DroppedCard />
      <WebhookTools companies={companies} initialCompanyId={companyId} canOperate={canOperate} />
    </PanelPage>
  );
}
