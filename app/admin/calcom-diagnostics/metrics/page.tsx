import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Metrics" description="API success rate, latency, circuit trips, webhook, sync and booking failures over time." />
      <EmptyState title="Nothing here yet">Charts over 1 h, 24 h and 7 d will appear here once calls to Cal.com have been recorded.</EmptyState>
    </>
  );
}
