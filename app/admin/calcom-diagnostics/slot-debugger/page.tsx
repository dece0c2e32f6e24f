import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { SlotDebuggerPanel } from "./slot-debugger-panel";

export default async function SlotDebuggerPage() {
  const user = await requireUser("viewer");
  return (
    <>
      <PageHeader
        title="Slot debugger"
        description="Why a slot is or is not offered: the slots Cal.com returns in local time and UTC, the exact request and raw response, the reasons a time is missing, and a test booking you can cancel by uid. The URL is a permalink to the inputs."
      />
      <Suspense>
        <SlotDebuggerPanel canOperate={hasRole(user.role, "operator")} />
      </Suspense>
    </>
  );
}
