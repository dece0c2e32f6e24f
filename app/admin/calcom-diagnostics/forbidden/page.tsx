import { EmptyState } from "@/components/ui/empty-state";

export default function ForbiddenPage() {
  return <EmptyState title="You do not have access to this page">Ask an admin for a role that allows it.</EmptyState>;
}
