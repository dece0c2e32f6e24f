import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, companies } from "@/drizzle/schema/core";
import { circuitBreakers, circuitEvents } from "@/drizzle/schema/calcom";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { acquirePermit, forceOpenCircuit, recordOutcome, resetCircuit } from "./breaker";
import { CalcomError } from "./errors";

const run = promisify(execFile);
const operator = { kind: "token", label: "ops-token", role: "operator" } as const;
const failure = { kind: "failure", calCode: "CAL-012", status: 503, message: "Service Unavailable" } as const;
let db: Db;

async function newCompany(): Promise<number> {
  const slug = `breaker-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const [row] = await db.insert(companies).values({ name: slug, slug }).returning({ id: companies.id });
  return row!.id;
}

async function fail(companyId: number, times: number, now?: Date) {
  for (let i = 0; i < times; i++) await recordOutcome(db, await acquirePermit(db, companyId, now), failure, now);
}

async function state(companyId: number) {
  const [row] = await db.select().from(circuitBreakers).where(eq(circuitBreakers.companyId, companyId));
  return row!;
}

beforeAll(async () => {
  db = await getTestDb();
});

describe("circuit breaker", () => {
  it("opens after 5 consecutive failures and refuses calls while open", async () => {
    const id = await newCompany();
    await fail(id, 4);
    expect((await state(id)).state).toBe("closed");
    await fail(id, 1);
    const row = await state(id);
    expect(row.state).toBe("open");
    expect(row.lastFailureCode).toBe("CAL-012");
    expect(row.openUntil!.getTime() - row.openedAt!.getTime()).toBe(60_000);
    await expect(acquirePermit(db, id)).rejects.toMatchObject({ calCode: "CAL-013" });
    const events = await db.select().from(circuitEvents).where(eq(circuitEvents.companyId, id));
    expect(events).toEqual([
      expect.objectContaining({
        fromState: "closed",
        toState: "open",
        reason: expect.stringContaining("5 consecutive failures"),
      }),
    ]);
  });

  it("a success in between resets the count; 4xx (neutral) neither counts nor resets", async () => {
    const id = await newCompany();
    await fail(id, 4);
    await recordOutcome(db, await acquirePermit(db, id), { kind: "neutral" });
    expect((await state(id)).consecutiveFailures).toBe(4);
    await recordOutcome(db, await acquirePermit(db, id), { kind: "success" });
    expect((await state(id)).consecutiveFailures).toBe(0);
    await fail(id, 4);
    expect((await state(id)).state).toBe("closed");
  });

  it("after the open period admits trial calls; a trial success closes, a trial failure re-opens", async () => {
    const id = await newCompany();
    await fail(id, 5);
    const later = new Date(Date.now() + 61_000);
    const trial = await acquirePermit(db, id, later);
    expect(trial).toMatchObject({ isTrial: true, state: "half_open" });
    await recordOutcome(db, trial, failure, later);
    expect((await state(id)).state).toBe("open");

    const evenLater = new Date(later.getTime() + 61_000);
    const second = await acquirePermit(db, id, evenLater);
    await recordOutcome(db, second, { kind: "success" }, evenLater);
    expect((await state(id)).state).toBe("closed");
    const transitions = (await db.select().from(circuitEvents).where(eq(circuitEvents.companyId, id))).map(
      (e) => `${e.fromState}>${e.toState}`,
    );
    expect(transitions).toEqual([
      "closed>open",
      "open>half_open",
      "half_open>open",
      "open>half_open",
      "half_open>closed",
    ]);
  });

  it("half-open admits exactly 2 trial calls across two processes on one database", async () => {
    const id = await newCompany();
    await fail(id, 5);
    // Make the open period end now so both processes race for the trials.
    await db
      .update(circuitBreakers)
      .set({ openUntil: new Date(Date.now() - 1000) })
      .where(eq(circuitBreakers.companyId, id));
    const env = { ...process.env };
    const worker = () =>
      run(
        "node",
        ["--conditions=react-server", "--import", "tsx", "test/workers/breaker-worker.ts", "permit", String(id), "10"],
        { env, cwd: process.cwd() },
      );
    const [a, b] = await Promise.all([worker(), worker()]);
    const admitted =
      JSON.parse(a.stdout.trim().split("\n").pop()!).admitted + JSON.parse(b.stdout.trim().split("\n").pop()!).admitted;
    expect(admitted).toBe(2);
    expect((await state(id)).halfOpenInFlight).toBe(2);
  }, 60_000);

  it("operators reset and force open, each audited with its reason", async () => {
    const id = await newCompany();
    await fail(id, 5);
    await resetCircuit(db, { companyId: id, reason: "Cal.com status page green again", actor: operator });
    expect((await state(id)).state).toBe("closed");
    await acquirePermit(db, id);

    const until = new Date(Date.now() + 10 * 60_000);
    await forceOpenCircuit(db, {
      companyId: id,
      until: until.toISOString(),
      reason: "maintenance window",
      actor: operator,
    });
    const error = await acquirePermit(db, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalcomError);
    expect((error as CalcomError).message).toContain("maintenance");

    const audit = await db.select().from(auditLog).where(eq(auditLog.companyId, id));
    expect(audit.map((a) => [a.action, a.reason])).toEqual([
      ["circuit.reset", "Cal.com status page green again"],
      ["circuit.force-open", "maintenance window"],
    ]);
    await expect(resetCircuit(db, { companyId: id, reason: "", actor: operator })).rejects.toThrow(/reason/);
  });
});

describe("rate limiter", () => {
  it("one bucket per key is shared by two processes", async () => {
    const key = `test:${Date.now()}`;
    const env = { ...process.env };
    const worker = () =>
      run(
        "node",
        ["--conditions=react-server", "--import", "tsx", "test/workers/breaker-worker.ts", "tokens", key, "10"],
        { env, cwd: process.cwd() },
      );
    const [a, b] = await Promise.all([worker(), worker()]);
    const admitted =
      JSON.parse(a.stdout.trim().split("\n").pop()!).admitted + JSON.parse(b.stdout.trim().split("\n").pop()!).admitted;
    // burst 10, refill 1/min: twenty attempts, ten admitted, whichever process made them.
    expect(admitted).toBe(10);
  }, 60_000);
});
