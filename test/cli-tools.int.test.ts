import { createHmac } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, auditLog, companyWebhookSecrets, services } from "@/drizzle/schema/core";
import { bookAppointment } from "@/lib/booking/book";
import { createBookingCompany, futureWeekday } from "@/lib/booking/test-helpers";
import { resetCircuit } from "@/lib/calcom/breaker";
import { resetSandboxFaults, setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { addWebhookSecret } from "@/lib/companies/companies";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { runCli } from "@/scripts/cli/program";
import { getTestDb } from "./db";

// The seeds' remaining operations commands (issue 15 item 6) against the test database and the sandbox over HTTP.
let db: Db;
let fx: SandboxFixture;
let companyId: number;
const actor = { kind: "system", label: "cli-tools-it", role: "admin" } as const;
const SECRET = "whsec_cli_tools_first_secret_0001";

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await runCli(argv, {
    db: async () => db,
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    progress: (l) => progress.push(l),
  });
  const text = out.join("\n");
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // text mode
  }
  return { code, text, json, err: err.join("\n"), progress };
}

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
  ({
    company: { id: companyId },
  } = await createBookingCompany(db, fx));
  await db
    .insert(companyWebhookSecrets)
    .values({ companyId, label: "primary", secretEnc: encryptSecret(SECRET), secretLast4: SECRET.slice(-4) });
});
afterAll(async () => {
  await resetSandboxFaults(db);
  await fx?.close();
});

describe("operations CLI: the seeds' remaining commands", () => {
  it("test-auth: the key is accepted (exit 0); revoked keys are refused with CAL-001 (exit 1)", async () => {
    const ok = await cli("test-auth", "--company", String(companyId), "--json");
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ companyId, ok: true, me: { ok: true, email: expect.stringContaining("@") } });
    await setSandboxFaults(db, { revokedKeys: true });
    try {
      const refused = await cli("test-auth", "--company", String(companyId), "--json");
      expect(refused.code).toBe(1);
      expect(refused.json).toMatchObject({ ok: false, me: { ok: false, calCode: "CAL-001", status: 401 } });
    } finally {
      await resetSandboxFaults(db);
    }
  });

  it("test-webhook-signature: self-test of the active secrets, a given signature, a wrong one, and usage errors", async () => {
    const self = await cli("test-webhook-signature", "--company", String(companyId), "--json");
    expect(self).toMatchObject({
      code: 0,
      json: { mode: "self-test", secrets: [{ label: "primary", isCurrent: true, verdict: "verified" }] },
    });
    await addWebhookSecret(db, {
      companyId,
      input: { label: "rotated", secret: "whsec_cli_tools_second_secret_02" },
      actor,
    });
    const rotated = await cli("test-webhook-signature", "--company", String(companyId), "--json");
    expect((rotated.json.secrets as { label: string; verdict: string }[]).map((s) => [s.label, s.verdict])).toEqual([
      ["rotated", "verified"],
      ["primary", "verified_previous_secret"],
    ]);
    const payload = '{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"abc"}}';
    const signature = createHmac("sha256", SECRET).update(payload).digest("hex");
    const byCompany = await cli(
      "test-webhook-signature",
      "--company",
      String(companyId),
      "--payload",
      payload,
      "--signature",
      signature,
      "--json",
    );
    expect(byCompany.json).toMatchObject({ verdict: "verified_previous_secret", secret: "primary" });
    expect(byCompany.code).toBe(0);
    const given = await cli(
      "test-webhook-signature",
      "--payload",
      payload,
      "--signature",
      signature,
      "--secret",
      SECRET,
      "--json",
    );
    expect(given).toMatchObject({ code: 0, json: { isMatch: true, verdict: "match" } });
    const wrong = await cli(
      "test-webhook-signature",
      "--payload",
      payload,
      "--signature",
      signature,
      "--secret",
      "whsec_another_secret_entirely",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.text).toMatch(/^NO MATCH/);
    expect((await cli("test-webhook-signature", "--secret", SECRET)).code).toBe(2);
  });

  it("list-event-types: the team's 45 event types, each mapped one pointing at its service", async () => {
    const r = await cli("list-event-types", "--company", String(companyId), "--fresh", "--json");
    expect(r.code).toBe(0);
    const eventTypes = r.json.eventTypes as { id: number; service: { id: number } | null }[];
    expect(eventTypes).toHaveLength(45);
    const mapped = await db
      .select({ id: services.id, et: services.calcomEventTypeId })
      .from(services)
      .where(eq(services.companyId, companyId));
    for (const s of mapped) expect(eventTypes.find((e) => e.id === s.et)?.service?.id).toBe(s.id);
  });

  it("sync-services is the seeds' name for the event-type sync; sync-event-types stays an alias", async () => {
    const r = await cli("sync-services", "--company", String(companyId), "--check-only", "--json");
    expect(r).toMatchObject({
      code: 0,
      json: { runs: [expect.objectContaining({ companyId, status: "succeeded", isCheckOnly: true })] },
    });
    expect((await cli("sync-event-types", "--company", String(companyId), "--check-only")).code).toBe(0);
  });

  it("sync-appointment: in sync (0); after a change made in Cal.com it differs (1); --apply takes Cal.com's state (0, audited)", async () => {
    const [service] = await db
      .select()
      .from(services)
      .where(and(eq(services.companyId, companyId), isNotNull(services.calcomEventTypeId)))
      .limit(1);
    const booked = await bookAppointment(db, {
      companyId,
      service: service!.id,
      start: futureWeekday(9, "10:00").toISOString(),
      attendee: { name: "Cli Tools", email: "cli.tools@example.com", phone: "+4930123456" },
    });
    expect(booked.outcome).toBe("booked");
    const same = await cli("sync-appointment", String(booked.appointmentId), "--json");
    expect(same).toMatchObject({ code: 0, json: { state: "in_sync", uid: booked.uid } });
    const res = await fx.call(`/v2/bookings/${booked.uid}/cancel`, {
      method: "POST",
      version: "2024-08-13",
      body: { cancellationReason: "changed in Cal.com" },
    });
    expect(res.status).toBe(200);
    const differs = await cli("sync-appointment", String(booked.appointmentId), "--json");
    expect(differs).toMatchObject({ code: 1, json: { state: "status_mismatch", applied: false } });
    const applied = await cli("sync-appointment", String(booked.appointmentId), "--apply", "--json");
    expect(applied).toMatchObject({ code: 0, json: { applied: true, appointment: { status: "cancelled" } } });
    const [row] = await db.select().from(appointments).where(eq(appointments.id, booked.appointmentId));
    expect(row?.status).toBe("cancelled");
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "appointment.sync"), eq(auditLog.targetId, String(booked.appointmentId))));
    expect(audit?.details).toMatchObject({ class: "status_mismatch" });
    expect((await cli("sync-appointment", "abc")).code).toBe(2);
    expect((await cli("sync-appointment", "999999999")).code).toBe(2);
  });

  it("cache-warmup: event types and one slot day per active service, with progress; a second run finds them cached", async () => {
    const active = await db
      .select({ id: services.id })
      .from(services)
      .where(
        and(eq(services.companyId, companyId), eq(services.isActive, true), isNotNull(services.calcomEventTypeId)),
      );
    const first = await cli("cache-warmup", "--company", String(companyId), "--days", "1", "--json");
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({
      companies: [{ companyId, eventTypes: 45, slotRanges: new Set(active.map((a) => a.id)).size, errors: [] }],
    });
    expect(first.progress).toEqual([]); // --json never draws progress
    const second = await cli("cache-warmup", "--company", String(companyId), "--days", "1");
    expect(second.code).toBe(0);
    expect(second.progress.at(-1)).toMatch(/\[#{24}\] \d+\/\d+/);
    expect(second.text).toMatch(new RegExp(`\\(${active.length + 1} were cached already\\)`));
    expect((await cli("cache-warmup", "--days", "99")).code).toBe(2);
  });

  it("performance-test: uncached latency per family with percentiles (0); failing bookings make it exit 1", async () => {
    const r = await cli(
      "performance-test",
      "--company",
      String(companyId),
      "--iterations",
      "2",
      "--max-p95",
      "60000",
      "--json",
    );
    expect(r.code).toBe(0);
    const families = r.json.families as {
      family: string;
      ok: number;
      p50Ms: number | null;
      p95Ms: number | null;
      p99Ms: number | null;
    }[];
    expect(families.map((f) => f.family)).toEqual(["me", "teams", "eventTypes", "slots", "bookings"]);
    for (const f of families) {
      expect(f.ok).toBe(2);
      expect(f.p50Ms).toBeLessThanOrEqual(f.p95Ms!);
      expect(f.p95Ms).toBeLessThanOrEqual(f.p99Ms!);
    }
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503 } } });
    try {
      const failing = await cli(
        "performance-test",
        "--company",
        String(companyId),
        "--iterations",
        "1",
        "--max-p95",
        "60000",
        "--json",
      );
      expect(failing.code).toBe(1);
      expect(
        (failing.json.families as { family: string; errors: string[] }[]).find((f) => f.family === "bookings")
          ?.errors[0],
      ).toMatch(/CAL-012 503/);
    } finally {
      await resetSandboxFaults(db);
      await resetCircuit(db, { companyId, reason: "performance test done", actor });
    }
  });
});
