import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Circuit" description="The circuit breaker around each company's Cal.com API." />
      <EmptyState title="Nothing here yet">Per-company breaker state, history and the reset action will appear here.</EmptyState>
    </>
  );
}
