import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export default async function Page() {
  await requireUser("viewer");
  return (
    <>
      <PageHeader title="Webhooks" description="Every Cal.com webhook delivery, verified or rejected, and what processing did with it." />
      <EmptyState title="Nothing here yet">Webhook deliveries will appear here with their verification verdict, processing status and payload.</EmptyState>
    </>
  );
}
