import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getMe } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { checkApiKeyFormat } from "@/lib/companies/key-checks";
import { loadSecretCandidates } from "@/lib/webhooks/settings";
import { testSignature } from "@/lib/webhooks/tools";
import { hmacHex, matchSignature } from "@/lib/webhooks/verify";
import { emit, resolveCompany, UsageError, type CliContext, type ExitCode, type Run } from "./runtime";

/** test-auth [--company]: the key's format and GET /v2/me only (the guide's calcom:test-auth); exit 1 when refused. */
async function testAuth(ctx: CliContext, opts: { company?: string }): Promise<ExitCode> {
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  const http = await createCalcomHttp(db, company.id);
  const key = http.target.apiKey;
  const findings = key
    ? checkApiKeyFormat(key, { isProduction: !http.target.isSandbox })
    : [{ level: "error" as const, field: "apiKey" as const, message: "No API key is configured." }];
  let me:
    | { ok: true; id: number; email: string; username: string | null; latencyMs: number }
    | { ok: false; calCode: string | null; status: number | null; message: string };
  try {
    const r = await getMe(http);
    me = {
      ok: true,
      id: r.data.id,
      email: r.data.email,
      username: r.data.username ?? null,
      latencyMs: r.exchange.durationMs,
    };
  } catch (error) {
    if (!(error instanceof CalcomError)) throw error;
    me = { ok: false, calCode: error.calCode, status: error.status, message: error.message };
  }
  const ok = me.ok && !findings.some((f) => f.level === "error");
  const keyShown = key ? `${key.slice(0, 9)}…${key.slice(-4)}` : "(none)";
  const text = [
    `${company.name}: key ${keyShown} ${ok ? "ACCEPTED" : "REFUSED"} (${http.target.isSandbox ? "sandbox" : http.target.baseUrl}, from ${http.target.source})`,
  ];
  text.push(
    me.ok
      ? `  GET /v2/me: ${me.username ?? me.email} (user ${me.id}) in ${me.latencyMs} ms`
      : `  GET /v2/me: ${me.calCode ?? ""} ${me.status ?? "no answer"} ${me.message}`,
  );
  for (const f of findings) text.push(`  ${f.level}: ${f.message}`);
  return emit(ctx, {
    ok,
    data: {
      companyId: company.id,
      ok,
      key: keyShown,
      source: http.target.source,
      isSandbox: http.target.isSandbox,
      findings,
      me,
    },
    text,
  });
}

type SignatureOpts = { company?: string; payload?: string; signature?: string; secret?: string };

function readPayload(value: string): string {
  if (!value.startsWith("@")) return value;
  try {
    return readFileSync(value.slice(1), "utf8");
  } catch {
    throw new UsageError(`Cannot read the payload file ${value.slice(1)}`);
  }
}

/**
 * test-webhook-signature: with --signature, checks a payload (text or @file) against --secret or the company's active
 * secrets; without, proves each active secret round-trips through the receiver's verification. Exit 1 on a mismatch.
 */
async function testWebhookSignature(ctx: CliContext, opts: SignatureOpts): Promise<ExitCode> {
  if (opts.secret !== undefined && opts.signature === undefined)
    throw new UsageError("--secret needs --signature (and --payload)");
  if (opts.signature !== undefined && opts.payload === undefined)
    throw new UsageError("--signature needs --payload <json|@file>");
  if (opts.signature !== undefined && opts.secret !== undefined) {
    const r = testSignature({ payload: readPayload(opts.payload!), secret: opts.secret, signature: opts.signature });
    return emit(ctx, {
      ok: r.isMatch,
      data: { mode: "given-secret", ...r },
      text: [
        `${r.isMatch ? "MATCH" : "NO MATCH"}: ${r.verdict}`,
        `  expected ${r.expected}`,
        ...r.notes.map((n) => `  ${n}`),
      ],
    });
  }
  const db = await ctx.db();
  const company = await resolveCompany(db, opts.company);
  const [own] = await loadSecretCandidates(db, [company.id]);
  const candidates = own?.candidates ?? [];
  if (candidates.length === 0)
    return emit(ctx, {
      ok: false,
      data: { mode: "company", companyId: company.id, secrets: [] },
      text: [`${company.name}: no active webhook secret; every signed delivery will be rejected`],
    });
  if (opts.signature !== undefined) {
    const match = matchSignature(Buffer.from(readPayload(opts.payload!)), opts.signature, candidates);
    const verdict = match.ok
      ? match.candidate.isCurrent
        ? "verified"
        : "verified_previous_secret"
      : "signature_mismatch";
    const text = [
      `${company.name}: ${verdict}${match.ok ? ` by secret "${match.candidate.label}" (${match.variant})` : ` (tried ${candidates.length} active secrets)`}`,
    ];
    return emit(ctx, {
      ok: match.ok,
      data: {
        mode: "company",
        companyId: company.id,
        verdict,
        secret: match.ok ? match.candidate.label : null,
        variant: match.ok ? match.variant : null,
      },
      text,
    });
  }
  const sample = JSON.stringify({
    triggerEvent: "PING",
    createdAt: new Date().toISOString(),
    payload: { type: "cli self-test" },
  });
  const secrets = candidates.map((c) => {
    const match = matchSignature(Buffer.from(sample), hmacHex(c.secret, sample), candidates);
    return {
      label: c.label,
      last4: c.secret.slice(-4),
      isCurrent: c.isCurrent,
      verdict: match.ok ? (match.candidate.isCurrent ? "verified" : "verified_previous_secret") : "signature_mismatch",
    };
  });
  const ok = secrets.every((s) => s.verdict !== "signature_mismatch");
  const text = [`${company.name}: ${secrets.length} active webhook secret(s), signed and verified like a delivery`];
  for (const s of secrets)
    text.push(`  ${s.isCurrent ? "current " : "previous"} "${s.label}" …${s.last4}: ${s.verdict}`);
  if (secrets.length > 1)
    text.push("  Older secrets still verify: finish the rotation in Cal.com, then deactivate them.");
  return emit(ctx, { ok, data: { mode: "self-test", companyId: company.id, secrets }, text });
}

export function registerAuth(program: Command, run: Run): void {
  program
    .command("test-auth")
    .description("check the company's API key: its format and GET /v2/me (exit 1 when refused)")
    .option("--company <id|slug>", "the company (default: the default company)")
    .action((opts: { company?: string }) => run((c) => testAuth(c, opts))());
  program
    .command("test-webhook-signature")
    .description("verify a webhook signature, or self-test the company's active webhook secrets (exit 1 on a mismatch)")
    .option("--company <id|slug>", "the company (default: the default company)")
    .option("--payload <json|@file>", "the raw body as received")
    .option("--signature <hex>", "the X-Cal-Signature-256 value")
    .option("--secret <secret>", "check against this secret instead of the company's")
    .action((opts: SignatureOpts) => run((c) => testWebhookSignature(c, opts))());
}
