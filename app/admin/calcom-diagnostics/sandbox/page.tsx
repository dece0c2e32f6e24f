import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Sandbox" description="The built-in Cal.com sandbox: fault injection and webhook subscriber." />
      <EmptyState title="Nothing here yet">Fault injection controls will appear here.</EmptyState>
    </>
  );
}
