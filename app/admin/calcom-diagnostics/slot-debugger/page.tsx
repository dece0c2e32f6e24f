import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Slot debugger" description="Why a slot is or is not offered." />
      <EmptyState title="Nothing here yet">Pick a company, a service and a day to see the slots Cal.com offers, the exact request and response, and the reasons a time is missing.</EmptyState>
    </>
  );
}
