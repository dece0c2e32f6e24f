import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
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
  // Viewers "read everything" (README): they see the settings read-only, secrets masked; admins change them.
  const user = await requireUser("viewer");
  const canEdit = hasRole(user.role, "admin");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const db = await getDb();
  const companies = (await listCompanies(db)).filter((c) => !companyId || c.id === companyId);
  const thresholds = await Promise.all(companies.map((c) => getAlertThresholds(db, c.id)));
  return (
    <>
      <PageHeader
        title="Settings"
        description="Each company's Cal.com configuration. API keys and webhook secrets are write-only: only their last 4 characters are ever shown."
        actions={
          canEdit ? (
            <Link className="text-sm underline" href="/admin/calcom-diagnostics/settings/users">
              Users
            </Link>
          ) : undefined
        }
      />
      {!canEdit && (
        <p role="note" className="mb-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-600">
          Read only: you are signed in as {user.role}. An admin changes these settings.
        </p>
      )}
      <div className="space-y-6">
        <NotificationChannels />
        {companies.map((c, i) => (
          <div key={c.id} className="grid gap-4 lg:grid-cols-2">
            <CompanySettingsForm company={c} canEdit={canEdit} />
            <WebhookSecrets company={c} canEdit={canEdit} />
            <AlertThresholdsForm companyId={c.id} companyName={c.name} thresholds={thresholds[i]!} canEdit={canEdit} />
          </div>
        ))}
      </div>
    </>
  );
}
