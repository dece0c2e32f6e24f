import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { isSandboxServed } from "@/lib/calcom-sandbox/enabled";
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
      {isSandboxServed() ? (
        <>
          <SandboxPanel canOperate={hasRole(user.role, "operator")} />
          <div className="mt-4">
            <FidelityCard canOperate={hasRole(user.role, "operator")} />
          </div>
        </>
      ) : (
        <EmptyState title="The built-in sandbox is off">
          This deployment does not serve it (DATABASE_URL is set and CALCOM_SANDBOX_ENABLED is not true). Companies
          without a Cal.com URL show &quot;Cal.com not configured&quot;.
        </EmptyState>
      )}
    </>
  );
}
