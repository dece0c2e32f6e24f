import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Sync runs" description="Event-type sync runs per company: what each run found, matched, imported and orphaned." />
      <EmptyState title="Nothing here yet">Sync runs will appear here: history with status, counts and duration, the per-item diff, Run now and Check only.</EmptyState>
    </>
  );
}
