import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { UsersPanel } from "./users-panel";

export default async function UsersPage() {
  const actor = await requireUser("admin");
  return (
    <>
      <PageHeader
        title="Users"
        description="Viewers read everything; operators also run actions; admins also manage settings and users."
      />
      <UsersPanel currentUserId={actor.userId} />
    </>
  );
}
