import { PanelPage } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { FallbackModes } from "./fallback-modes";
import { ManualQueue } from "./manual-queue";
import { OutboxView } from "./outbox-view";
import { RecoverForm } from "./recover-form";

export const dynamic = "force-dynamic";

export default async function BookingsPage(props: PageProps<"/admin/calcom-diagnostics/bookings">) {
  const user = await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const canOperate = hasRole(user.role, "operator");
  return (
    <PanelPage
      title="Bookings"
      description="Booking requests Cal.com could not take (circuit open, Cal.com failing, fallback mode) wait here for a person or the recovery job. Nothing is lost; staff are notified through the outbox."
    >
      <ManualQueue companyId={companyId} canOperate={canOperate} />
      <FallbackModes companyId={companyId} canOperate={canOperate} />
      {canOperate && <RecoverForm companyId={companyId} />}
      <OutboxView companyId={companyId} />
    </PanelPage>
  );
}
