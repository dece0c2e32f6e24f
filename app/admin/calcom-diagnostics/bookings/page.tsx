import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Bookings" description="Test bookings, the manual-booking queue and the fallback mode." />
      <EmptyState title="Nothing here yet">Bookings made through the product, the manual-booking queue used while Cal.com is down, and recovery will appear here.</EmptyState>
    </>
  );
}
