// POST /api/admin/calcom/sync – start an event-type sync {companyId?, checkOnly, wait} (operator; 409 while one runs)
import { after, NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";
import { listSyncableCompanies, runSync, startSync, syncRequestSchema, type RunSyncOptions } from "@/lib/sync/sync";

export const dynamic = "force-dynamic";

export const POST = withAuth(async ({ req, actor }) => {
  const input = syncRequestSchema.parse(await readOptionalJson(req));
  const db = await getDb();
  const base = { checkOnly: input.checkOnly, trigger: actor.kind === "token" ? "api" : "manual", actor } as const;
  const start = (companyId: number) => {
    const opts: RunSyncOptions = { ...base, companyId };
    return input.wait ? runSync(db, opts) : startSync(db, opts, (work) => after(work));
  };
  const status = input.wait ? 200 : 202;
  if (input.companyId) return NextResponse.json({ run: await start(input.companyId) }, { status });
  // No company: every company with a Cal.com team; a company already syncing is reported, not an error.
  const runs = [];
  const conflicts = [];
  for (const company of await listSyncableCompanies(db)) {
    try {
      runs.push(await start(company.id));
    } catch (error) {
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
      conflicts.push({ companyId: company.id, runId: error.details?.runId ?? null, message: error.message });
    }
  }
  return NextResponse.json({ runs, conflicts }, { status });
}, { role: "operator" });
