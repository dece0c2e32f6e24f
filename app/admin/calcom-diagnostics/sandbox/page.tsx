import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { FidelityCard } from "./fidelity-card";
import { SandboxPanel } from "./sandbox-panel";

export default async function SandboxPage() {
  const user = await requireUser("viewer");
  return (
    <>
      <PageHeader
        title="Sandbox"
        description="The built-in Cal.com sandbox speaks Cal.com's v2 contract. Inject faults here to watch retries, the circuit breaker and the fallbacks react."
      />
      <SandboxPanel canOperate={hasRole(user.role, "operator")} />
      <div className="mt-4">
        <FidelityCard canOperate={hasRole(user.role, "operator")} />
      </div>
    </>
  );
}
