import { count } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { z, ZodError } from "zod";
import {
  sandboxApiKeys,
  sandboxBookings,
  sandboxEventTypes,
  sandboxTeams,
  sandboxUsers,
  sandboxWebhookDeliveries,
  sandboxWebhooks,
} from "@/drizzle/schema/sandbox";
import type { Db } from "@/lib/db/types";
import { isControlTokenValid } from "./enabled";
import { fidelityPatchSchema, readFidelity, REAL_CALCOM_FIDELITY, setSandboxFidelity } from "./fidelity";
import { seedFidelityEventTypes, seedFidelityInputSchema } from "./seed-fidelity";
import {
  faultsPatchSchema,
  getSandboxFaults,
  resetSandboxFaults,
  setSandboxFaults,
  type SandboxFaults,
} from "./faults";
import { jsonResponse, readJsonBody } from "./http";
import {
  rateLimitFromSettings,
  rateLimitPatchSchema,
  resetSandboxRateLimit,
  setSandboxRateLimit,
  type RateLimitConfig,
} from "./rate-limit";
import { seedInputSchema, seedSandbox } from "./seed";
import { readRequestCounts, readSettings, resetRequestCounts } from "./settings";
import {
  emitSandboxMeetingEvent,
  listRecentDeliveries,
  meetingEventInputSchema,
  pingInputSchema,
  sendSandboxPing,
  setSandboxWebhook,
  webhookInputSchema,
  webhookView,
  type WebhookView,
} from "./webhooks";

export type SandboxState = {
  faults: SandboxFaults;
  rateLimit: RateLimitConfig;
  webhooks: WebhookView[];
  counts: {
    teams: number;
    users: number;
    apiKeys: number;
    eventTypes: number;
    bookings: number;
    webhooks: number;
    deliveries: number;
  };
  requests: Record<string, number> & { total: number };
  recentDeliveries: {
    id: number;
    triggerEvent: string;
    subscriberUrl: string;
    bookingUid: string | null;
    statusCode: number | null;
    error: string | null;
    durationMs: number | null;
    signature: string;
    body: string;
    createdAt: string;
  }[];
};

async function tableCount(db: Db, table: PgTable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table);
  return Number(row?.n ?? 0);
}

/** Everything the dashboard's Sandbox panel shows: faults, limits, subscribers, sizes, traffic, recent deliveries. */
export async function getSandboxState(db: Db): Promise<SandboxState> {
  const settings = await readSettings(db);
  const [faults, webhooks, requests, deliveries] = await Promise.all([
    getSandboxFaults(db),
    db.select().from(sandboxWebhooks),
    readRequestCounts(db),
    listRecentDeliveries(db, 20),
  ]);
  const counts = {
    teams: await tableCount(db, sandboxTeams),
    users: await tableCount(db, sandboxUsers),
    apiKeys: await tableCount(db, sandboxApiKeys),
    eventTypes: await tableCount(db, sandboxEventTypes),
    bookings: await tableCount(db, sandboxBookings),
    webhooks: webhooks.length,
    deliveries: await tableCount(db, sandboxWebhookDeliveries),
  };
  return {
    faults,
    rateLimit: rateLimitFromSettings(settings),
    webhooks: webhooks.map(webhookView),
    counts,
    requests,
    recentDeliveries: deliveries.map((d) => ({
      id: d.id,
      triggerEvent: d.triggerEvent,
      subscriberUrl: d.subscriberUrl,
      bookingUid: d.bookingUid,
      statusCode: d.statusCode,
      error: d.error,
      durationMs: d.durationMs,
      signature: d.signature,
      body: d.body.length > 4000 ? `${d.body.slice(0, 4000)}…` : d.body,
      createdAt: d.createdAt.toISOString(),
    })),
  };
}

/** Back to a healthy sandbox: no faults, default rate limit, all windows forgotten. */
export async function resetSandbox(db: Db): Promise<SandboxFaults> {
  await resetSandboxRateLimit(db);
  return resetSandboxFaults(db);
}

const ok = (data: unknown, status = 200) => jsonResponse(status, { data });
const fail = (status: number, code: string, message: string, details?: unknown) =>
  jsonResponse(status, { error: { code, message, ...(details ? { details } : {}) } });

type ControlHandler = (db: Db, body: Record<string, unknown>) => Promise<Response>;

const CONTROL_ROUTES: Record<string, ControlHandler> = {
  "GET /state": async (db) => ok(await getSandboxState(db)),
  "PUT /faults": async (db, body) => ok(await setSandboxFaults(db, faultsPatchSchema.parse(body), { replace: true })),
  "PATCH /faults": async (db, body) => ok(await setSandboxFaults(db, faultsPatchSchema.parse(body))),
  "POST /reset-faults": async (db) => ok(await resetSandbox(db)),
  "PUT /rate-limit": async (db, body) => ok(await setSandboxRateLimit(db, rateLimitPatchSchema.parse(body))),
  "PUT /webhooks": async (db, body) => ok(await setSandboxWebhook(db, webhookInputSchema.parse(body))),
  "POST /webhooks/ping": async (db, body) => ok(await sendSandboxPing(db, pingInputSchema.parse(body))),
  "POST /webhooks/meeting": async (db, body) => {
    const result = await emitSandboxMeetingEvent(db, meetingEventInputSchema.parse(body));
    return result ? ok(result) : fail(404, "NOT_FOUND", "No booking with that uid");
  },
  // Real Cal.com behaviours that differ by version or deployment (contract §8, docs/calcom-fidelity.md).
  "GET /fidelity": async (db) => ok(await readFidelity(db)),
  "PUT /fidelity": async (db, body) =>
    ok(await setSandboxFidelity(db, fidelityPatchSchema.parse(body), { replace: true })),
  "PATCH /fidelity": async (db, body) => ok(await setSandboxFidelity(db, fidelityPatchSchema.parse(body))),
  "POST /fidelity/real-calcom": async (db) => ok(await setSandboxFidelity(db, REAL_CALCOM_FIDELITY, { replace: true })),
  "POST /fidelity/seed": async (db, body) =>
    ok(await seedFidelityEventTypes(db, seedFidelityInputSchema.parse(body)), 201),
  "POST /seed": async (db, body) => ok(await seedSandbox(db, seedInputSchema.parse(body)), 201),
  "POST /reset-counters": async (db) => {
    await resetRequestCounts(db);
    return ok({ requests: { total: 0 } });
  },
};

// /_control/* – the sandbox's own switches (faults, limits, webhooks, seed); never part of the Cal.com contract
export async function handleControlRequest(req: Request, opts: { db: Db; path: string }): Promise<Response> {
  // Always a token (lib/calcom-sandbox/enabled.ts): the control API sets faults, seeds keys and sends webhooks.
  if (!isControlTokenValid(req.headers.get("x-sandbox-control")))
    return fail(401, "UNAUTHENTICATED", "Missing or wrong x-sandbox-control header");
  const key = `${req.method.toUpperCase()} ${opts.path.replace(/\/+$/, "") || "/"}`;
  const handler = CONTROL_ROUTES[key];
  if (!handler) return fail(404, "NOT_FOUND", `No control route ${key}`);
  try {
    const body = req.method === "GET" ? {} : await readJsonBody(req);
    return await handler(opts.db, body);
  } catch (e) {
    if (e instanceof ZodError) return fail(400, "BAD_REQUEST", "Invalid control input", z.treeifyError(e));
    console.error("[calcom-sandbox] control request failed", e);
    return fail(500, "INTERNAL", "Control request failed");
  }
}
