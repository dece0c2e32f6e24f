import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Reconciliation" description="Local appointments compared with Cal.com bookings: missing, orphaned, drifted and duplicated." />
      <EmptyState title="Nothing here yet">Reconciliation runs and their mismatches will appear here.</EmptyState>
    </>
  );
}
