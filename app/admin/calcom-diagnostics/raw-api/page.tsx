import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer"); // the console itself and its route are for operators
  return (
    <>
      <PageHeader title="Raw API" description="Read-only GET requests to Cal.com through the company's client, for operators." />
      <EmptyState title="Nothing here yet">A GET console will appear here.</EmptyState>
    </>
  );
}
