import "server-only";
import * as clock from "@/lib/time/clock";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { companies } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { AppError, parseOrBadRequest } from "@/lib/errors";
import { getWebhookSettings, loadSecretCandidates } from "./settings";
import { hmacHex, NO_SECRET, safeEqualHex } from "./verify";

/** Cal.com's "Ping test" payload (calcom-v2.md §4.6): a fake booking in the normal envelope. */
function pingPayload(now: Date): Record<string, unknown> {
  const person = { timeZone: "Europe/London", language: { locale: "en" } };
  return {
    type: "Test",
    title: "Test trigger event",
    startTime: now.toISOString(),
    endTime: now.toISOString(),
    attendees: [{ email: "jdoe@example.com", name: "John Doe", ...person }],
    organizer: { name: "Cal", email: "no-reply@cal.com", ...person },
  };
}

/** Operator tools: a signed test delivery to our own endpoint (like Cal.com's Ping test) and a signature tester. */

export const testDeliveryInputSchema = z.object({ companyId: z.number().int().positive() });

export async function sendTestDelivery(db: Db, opts: { companyId: number; baseUrl: string; actor: Actor }) {
  const [company] = await db
    .select({ id: companies.id, slug: companies.slug })
    .from(companies)
    .where(eq(companies.id, opts.companyId));
  if (!company) throw new AppError("NOT_FOUND", `Company ${opts.companyId} not found`);
  const [own] = await loadSecretCandidates(db, [company.id]);
  const secret = own?.candidates.find((c) => c.isCurrent) ?? own?.candidates[0];
  if (!secret && !(await getWebhookSettings(db, company.id)).allowUnsigned) {
    throw new AppError(
      "BAD_REQUEST",
      "This company has no active webhook secret and is not configured for unsigned deliveries",
    );
  }
  const body = JSON.stringify({
    triggerEvent: "PING",
    createdAt: clock.now().toISOString(),
    payload: pingPayload(clock.now()),
  });
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/api/webhooks/calcom/${encodeURIComponent(company.slug)}`;
  let status: number | null = null;
  type Answer = { id?: number; verdict?: string; message?: string };
  let answer = null as Answer | null;
  let error: string | null = null;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-cal-signature-256": secret ? hmacHex(secret.secret, body) : NO_SECRET,
        "x-cal-webhook-version": "2021-10-20",
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(5_000),
    });
    status = res.status;
    answer = (await res.json().catch(() => null)) as Answer | null;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  await writeAudit(db, {
    actor: opts.actor,
    action: "webhooks.test-delivery",
    targetType: "company",
    targetId: company.id,
    companyId: company.id,
    details: { url, status, error, secretLabel: secret?.label ?? null },
  });
  return {
    url,
    status,
    ok: status !== null && status >= 200 && status < 300,
    deliveryId: answer?.id ?? null,
    message: answer?.message ?? error,
    secretLabel: secret?.label ?? null,
  };
}

export const signatureTestSchema = z.object({
  payload: z.string().max(1024 * 1024),
  secret: z.string().max(500),
  signature: z.string().trim().max(300),
});

/** Payload + secret + signature -> verdict and why, trying the mistakes integrators make (shared/calcom-v2.md §6.9). */
export function testSignature(input: z.input<typeof signatureTestSchema>) {
  const { payload, secret, signature } = parseOrBadRequest(signatureTestSchema, input);
  const expected = secret ? hmacHex(secret, payload) : NO_SECRET;
  const notes: string[] = [];
  if (!signature)
    return {
      isMatch: false,
      verdict: "missing signature",
      expected,
      notes: ["Paste the X-Cal-Signature-256 header value."],
    };
  if (signature === NO_SECRET) {
    return {
      isMatch: !secret,
      verdict: secret ? "no-secret-provided" : "unsigned",
      expected,
      notes: [
        "Cal.com sends the literal no-secret-provided when its webhook has no secret: set the same secret in Cal.com and here.",
      ],
    };
  }
  let value = signature;
  if (value.toLowerCase().startsWith("sha256=")) {
    notes.push('The value has a "sha256=" prefix; Cal.com sends bare hex (the prefix was ignored here).');
    value = value.slice(7);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(value)) notes.push(`Not a 64-character hex string (${value.length} characters).`);
  if (!secret)
    return {
      isMatch: false,
      verdict: "no secret given",
      expected,
      notes: [...notes, "Enter the webhook secret to compute the expected signature."],
    };
  const answer = (isMatch: boolean, verdict: string, note: string) => ({
    isMatch,
    verdict,
    expected,
    notes: [...notes, note],
  });
  if (safeEqualHex(expected, value)) return answer(true, "match", "The signature matches the exact payload bytes.");
  // The near misses, tried in order: each signs a variant of what was pasted, and the first that matches explains it.
  const nearMisses = [
    {
      secret,
      payload: payload.replace(/[\r\n]+$/, ""),
      isMatch: true,
      verdict: "match without trailing newline",
      note: "It matches the payload without its trailing newline: something added one in transit (the receiver accepts this variant).",
    },
    {
      secret,
      payload: tryReserialise(payload),
      isMatch: false,
      verdict: "mismatch",
      note: "It matches the re-serialised (compact) JSON, not the text you pasted: the payload was changed after signing, or you copied a pretty-printed copy. Sign and verify the raw bytes.",
    },
    {
      secret: secret.trim(),
      payload,
      isMatch: false,
      verdict: "mismatch",
      note: "It matches the secret without its surrounding whitespace: the stored secret has stray spaces or a newline.",
    },
  ];
  const hit = nearMisses.find(
    (v) =>
      v.payload !== null &&
      (v.payload !== payload || v.secret !== secret) &&
      safeEqualHex(hmacHex(v.secret, v.payload), value),
  );
  if (hit) return answer(hit.isMatch, hit.verdict, hit.note);
  return answer(
    false,
    "mismatch",
    "Wrong secret, or the payload is not byte-for-byte what Cal.com signed (whitespace, key order, encoding).",
  );
}

function tryReserialise(payload: string): string | null {
  try {
    return JSON.stringify(JSON.parse(payload));
  } catch {
    return null;
  }
}
