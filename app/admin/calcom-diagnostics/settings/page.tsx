import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { listCompanies } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { parseCompanyParam } from "@/lib/http/company-param";
import { getAlertThresholds } from "@/lib/alerts/settings";
import { AlertThresholdsForm } from "./alert-thresholds-form";
import { CompanySettingsForm } from "./company-settings-form";
import { NotificationChannels } from "./notification-channels";
import { WebhookSecrets } from "./webhook-secrets";

export default async function SettingsPage(props: PageProps<"/admin/calcom-diagnostics/settings">) {
  await requireUser("admin");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const db = await getDb();
  const companies = (await listCompanies(db)).filter((c) => !companyId || c.id === companyId);
  const thresholds = await Promise.all(companies.map((c) => getAlertThresholds(db, c.id)));
  return (
    <>
      <PageHeader
        title="Settings"
        description="Each company's Cal.com configuration. API keys and webhook secrets are write-only: only their last 4 characters are ever shown."
        actions={<Link className="text-sm underline" href="/admin/calcom-diagnostics/settings/users">Users</Link>}
      />
      <div className="space-y-6">
        <NotificationChannels />
        {companies.map((c, i) => (
          <div key={c.id} className="grid gap-4 lg:grid-cols-2">
            <CompanySettingsForm company={c} />
            <WebhookSecrets company={c} />
            <AlertThresholdsForm companyId={c.id} companyName={c.name} thresholds={thresholds[i]!} />
          </div>
        ))}
      </div>
    </>
  );
}
