import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { listCompanies } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { parseCompanyParam } from "@/lib/http/company-param";

export default async function OverviewPage(props: PageProps<"/admin/calcom-diagnostics">) {
  await requireUser("viewer");
  const companyId = parseCompanyParam((await props.searchParams).company);
  const companies = (await listCompanies(await getDb())).filter((c) => !companyId || c.id === companyId);
  return (
    <>
      <PageHeader title="Overview" description="Is Cal.com healthy for each company, and if not, why." />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {companies.map((c) => (
          <Card key={c.id} title={c.name} actions={c.calcom.isSandbox ? <Badge tone="amber">sandbox</Badge> : <Badge tone="blue">Cal.com</Badge>}>
            <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-500">Team</dt>
              <dd>{c.calcom.teamId ? `${c.calcom.teamSlug ?? "—"} (${c.calcom.teamId})` : "not set"}</dd>
              <dt className="text-slate-500">API key</dt>
              <dd>{c.calcom.apiKeyMasked ?? <Badge tone="red">missing</Badge>}</dd>
              <dt className="text-slate-500">Time zone</dt>
              <dd>{c.timeZone}</dd>
            </dl>
            <div className="mt-3 flex gap-3 text-sm">
              <Link className="underline" href={`/admin/calcom-diagnostics/circuit?company=${c.id}`}>Circuit</Link>
              <Link className="underline" href={`/admin/calcom-diagnostics/settings?company=${c.id}`}>Settings</Link>
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
