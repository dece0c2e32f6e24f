// POST /api/admin/calcom/sync – start an event-type sync {companyId?, checkOnly, wait} (operator; 409 while one runs)
import { after, NextResponse } from "next/server";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";
import { syncAllCompanies } from "@/lib/sync/sync-all";
import { runSync, startSync, syncRequestSchema, type RunSyncOptions } from "@/lib/sync/sync";

export const dynamic = "force-dynamic";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = syncRequestSchema.parse(await readOptionalJson(req));
    const base = { checkOnly: input.checkOnly, trigger: actor.kind === "token" ? "api" : "manual", actor } as const;
    const start = (opts: RunSyncOptions) =>
      input.wait ? runSync(db, opts) : startSync(db, opts, (work) => after(work));
    const status = input.wait ? 200 : 202;
    if (input.companyId)
      return NextResponse.json({ run: await start({ ...base, companyId: input.companyId }) }, { status });
    // No company: every company with a Cal.com team; a company already syncing is reported, not an error.
    return NextResponse.json(await syncAllCompanies(db, base, start), { status });
  },
  { role: "operator" },
);
