import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { parseCompanyParam } from "@/lib/http/company-param";
import { AuditTable } from "./audit-table";

export default async function AuditPage(props: PageProps<"/admin/calcom-diagnostics/audit">) {
  await requireUser("viewer");
  const params = await props.searchParams;
  return (
    <>
      <PageHeader title="Audit" description="Every change made in the app: who, what, target, reason and when." />
      <AuditTable companyId={parseCompanyParam(params.company)} />
    </>
  );
}
