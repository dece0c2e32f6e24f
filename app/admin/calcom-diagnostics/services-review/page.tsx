import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Services review" description="Services orphaned by a sync wait here for a person to decide." />
      <EmptyState title="Nothing here yet">Services whose Cal.com event type disappeared for three consecutive syncs will appear here, with provenance and reactivate, relink, snooze and deactivate actions.</EmptyState>
    </>
  );
}
