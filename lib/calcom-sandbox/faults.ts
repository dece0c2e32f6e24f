import * as clock from "@/lib/time/clock";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { sandboxSettings } from "@/drizzle/schema/sandbox";
import type { Db, DbOrTx } from "@/lib/db/types";
import { MSG } from "./constants";
import { jsonResponse, SandboxHttpError, errorResponse, sleep, type SandboxContext } from "./http";
import { deleteSettingsWithPrefix, readSettings, writeSetting, type SettingsMap } from "./settings";

/** Families a fault can target; "all" applies to every /v2 request. */
const FAULT_FAMILIES = ["all", "me", "teams", "event-types", "slots", "bookings"] as const;
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

const familyFaultSchema = z
  .object({
    /** Share of requests (0..1) answered with a random 500. */
    errorRate: z.number().min(0).max(1).default(0),
    /** 500 bodies: the bare NestJS shape, or the envelope variant seen in Cal.com issues. */
    errorShape: z.enum(["bare", "envelope"]).default("bare"),
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    /** Every request answers this status (e.g. 503, 500, 429, 401) … */
    forceStatus: z.number().int().min(400).max(599).nullable().default(null),
    /** … this many more times; null = until the fault is reset. */
    forceCount: z.number().int().min(0).nullable().default(null),
    /** Hang this long, then answer 504, so that a client with a shorter timeout gives up first. */
    timeoutMs: z.number().int().min(0).max(300_000).nullable().default(null),
  })
  .strict();
type FamilyFault = z.infer<typeof familyFaultSchema>;

/** A patch names only the fields it changes; zod 4's .partial() would still fill the defaults in and wipe the rest. */
const familyFaultPatchSchema = z
  .object({
    errorRate: z.number().min(0).max(1).optional(),
    errorShape: z.enum(["bare", "envelope"]).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    forceStatus: z.number().int().min(400).max(599).nullable().optional(),
    forceCount: z.number().int().min(0).nullable().optional(),
    timeoutMs: z.number().int().min(0).max(300_000).nullable().optional(),
  })
  .strict();

export const faultsPatchSchema = z
  .object({
    families: z.partialRecord(z.enum(FAULT_FAMILIES), familyFaultPatchSchema.nullable()).optional(),
    /** Every API key answers 401 "Your api key is not valid". */
    revokedKeys: z.boolean().optional(),
    /** Event-type lists (user, team, org) answer []. */
    emptyEventTypes: z.boolean().optional(),
  })
  .strict();
export type FaultsPatch = z.infer<typeof faultsPatchSchema>;

export type SandboxFaults = {
  families: Partial<Record<FaultFamily, FamilyFault>>;
  revokedKeys: boolean;
  emptyEventTypes: boolean;
};

const FAMILY_KEY = "fault:family:";
const FLAGS_KEY = "fault:flags";

export function faultsFromSettings(settings: SettingsMap): SandboxFaults {
  const families: SandboxFaults["families"] = {};
  for (const family of FAULT_FAMILIES) {
    const raw = settings.get(FAMILY_KEY + family);
    const parsed = raw ? familyFaultSchema.safeParse(raw) : null;
    if (parsed?.success) families[family] = parsed.data;
  }
  const flags = settings.get(FLAGS_KEY) ?? {};
  return { families, revokedKeys: flags.revokedKeys === true, emptyEventTypes: flags.emptyEventTypes === true };
}

export async function getSandboxFaults(db: DbOrTx): Promise<SandboxFaults> {
  return faultsFromSettings(await readSettings(db));
}

/** Merges a patch into the stored faults (a family set to null is cleared); `replace` starts from no faults. */
export async function setSandboxFaults(
  db: Db,
  patch: FaultsPatch,
  opts: { replace?: boolean } = {},
): Promise<SandboxFaults> {
  const input = faultsPatchSchema.parse(patch);
  await db.transaction(async (tx) => {
    if (opts.replace) await deleteSettingsWithPrefix(tx, "fault:");
    const current = await getSandboxFaults(tx);
    for (const [family, value] of Object.entries(input.families ?? {}) as [
      FaultFamily,
      Partial<FamilyFault> | null,
    ][]) {
      if (value === null) {
        await tx.delete(sandboxSettings).where(eq(sandboxSettings.key, FAMILY_KEY + family));
        continue;
      }
      const merged = familyFaultSchema.parse({ ...current.families[family], ...value });
      await writeSetting(tx, FAMILY_KEY + family, merged);
    }
    if (input.revokedKeys !== undefined || input.emptyEventTypes !== undefined) {
      await writeSetting(tx, FLAGS_KEY, {
        revokedKeys: input.revokedKeys ?? current.revokedKeys,
        emptyEventTypes: input.emptyEventTypes ?? current.emptyEventTypes,
      });
    }
  });
  return getSandboxFaults(db);
}

export async function resetSandboxFaults(db: Db): Promise<SandboxFaults> {
  await deleteSettingsWithPrefix(db, "fault:");
  return getSandboxFaults(db);
}

/** Takes one forced response off the stored count; false once it is used up (several instances may race). */
async function takeForcedResponse(db: Db, family: FaultFamily): Promise<boolean> {
  const rows = await db
    .update(sandboxSettings)
    .set({
      value: sql`jsonb_set(${sandboxSettings.value}, '{forceCount}', to_jsonb((${sandboxSettings.value}->>'forceCount')::int - 1))`,
    })
    .where(and(eq(sandboxSettings.key, FAMILY_KEY + family), sql`(${sandboxSettings.value}->>'forceCount')::int > 0`))
    .returning({ key: sandboxSettings.key });
  return rows.length > 0;
}

function bare500(): Response {
  return jsonResponse(500, { statusCode: 500, message: MSG.internal });
}

function envelope500(ctx: SandboxContext): Response {
  return jsonResponse(
    500,
    {
      status: "error",
      timestamp: clock.now().toISOString(),
      path: ctx.url,
      error: { code: "INTERNAL_SERVER_ERROR", message: MSG.internalEnvelope },
    },
    { "x-request-id": ctx.requestId },
  );
}

function forcedResponse(ctx: SandboxContext, status: number, shape: FamilyFault["errorShape"]): Response {
  if (status === 500) return shape === "bare" ? bare500() : envelope500(ctx);
  const message =
    status === 401
      ? MSG.invalidKey
      : status === 429
        ? MSG.throttled
        : status === 403
          ? "Forbidden resource"
          : status === 404
            ? `Cannot ${ctx.method} ${ctx.url}`
            : undefined;
  return errorResponse(ctx, new SandboxHttpError(status, message ?? defaultMessage(status)));
}

function defaultMessage(status: number): string {
  if (status === 503) return "Service Unavailable";
  if (status === 502) return "Bad Gateway";
  if (status === 504) return "Gateway Timeout";
  return "Injected fault";
}

/**
 * Applies the stored faults to one request: latency, then a hang, then a forced status, then the random error rate.
 * Returns the faulted response, or null to let the request through.
 */
export async function applyFaults(ctx: SandboxContext, faults: SandboxFaults): Promise<Response | null> {
  const sources = [ctx.family as FaultFamily, "all" as const].filter(
    (f) => FAULT_FAMILIES.includes(f) && faults.families[f],
  );
  const configs = sources.map((f) => [f, faults.families[f]!] as const);
  const latency = configs.reduce((sum, [, c]) => sum + c.latencyMs, 0);
  if (latency > 0) await sleep(latency, ctx.req.signal);
  const hang = configs.find(([, c]) => c.timeoutMs !== null)?.[1].timeoutMs;
  if (hang != null) {
    await sleep(hang, ctx.req.signal);
    return errorResponse(ctx, new SandboxHttpError(504, "Gateway Timeout"));
  }
  for (const [family, config] of configs) {
    if (config.forceStatus === null) continue;
    if (config.forceCount !== null && !(await takeForcedResponse(ctx.db, family))) continue;
    return forcedResponse(ctx, config.forceStatus, config.errorShape);
  }
  const passRate = configs.reduce((p, [, c]) => p * (1 - c.errorRate), 1);
  if (passRate < 1 && Math.random() >= passRate) {
    const shape = configs.find(([, c]) => c.errorRate > 0)?.[1].errorShape ?? "bare";
    return shape === "bare" ? bare500() : envelope500(ctx);
  }
  return null;
}
