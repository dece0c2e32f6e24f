import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { ReviewPanel } from "./review-panel";

export default async function ServicesReviewPage(props: PageProps<"/admin/calcom-diagnostics/services-review">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  return (
    <>
      <PageHeader
        title="Services review"
        description="Services orphaned by a sync wait here for a person to decide: reactivate, relink to another event type, snooze or deactivate. Inactive services are listed too, so they can be brought back."
      />
      <ReviewPanel companyId={companyId} canOperate={hasRole(user.role, "operator")} />
    </>
  );
}
