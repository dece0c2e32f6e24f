import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  OUTBOX_CHANNELS,
  OUTBOX_STATES,
  outboxMessages,
  type OutboxChannel,
  type OutboxMessage,
} from "@/drizzle/schema/booking";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { getOutboxSender } from "./senders";
import { getEnv } from "@/lib/config/env";
import { companyIdSchema, idSchema } from "@/lib/http/params";

/**
 * The notification outbox: enqueueNotification writes messages in the caller's transaction (so a notification exists
 * exactly when its cause does); deliverOutbox sends due messages with retries and backoff, from any instance.
 *
 * Recipients come from the environment unless the caller names them:
 *   OUTBOX_EMAIL_TO      comma-separated staff addresses (default staff@localhost, printed by the console sender)
 *   OUTBOX_WEBHOOK_URL   comma-separated URLs that receive a JSON POST (optional; OUTBOX_WEBHOOK_SECRET signs it)
 */

export type OutboxRecipient = { channel: OutboxChannel; to: string };

const notificationSchema = z.object({
  companyId: z.number().int().positive().nullable().optional(),
  /** Machine-readable kind, e.g. "booking.manual_required", "alert.opened". */
  topic: z.string().trim().min(1).max(100),
  subject: z.string().trim().min(1).max(300),
  text: z.string().max(20_000),
  data: z.record(z.string(), z.unknown()).optional(),
  /** Enqueue at most once per recipient for this key (e.g. "manual-booking:42"). */
  dedupeKey: z.string().max(200).optional(),
  recipients: z.array(z.object({ channel: z.enum(OUTBOX_CHANNELS), to: z.string().min(1).max(500) })).optional(),
});
export type NotificationInput = z.input<typeof notificationSchema>;

const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

function listEnv(name: "OUTBOX_EMAIL_TO" | "OUTBOX_WEBHOOK_URL"): string[] {
  return (getEnv()[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function defaultRecipients(): OutboxRecipient[] {
  const emails = listEnv("OUTBOX_EMAIL_TO");
  return [
    ...(emails.length ? emails : ["staff@localhost"]).map((to) => ({ channel: "email" as const, to })),
    ...listEnv("OUTBOX_WEBHOOK_URL").map((to) => ({ channel: "webhook" as const, to })),
  ];
}

/** Enqueue one message per recipient; pass the transaction that makes the change being announced. */
export async function enqueueNotification(db: DbOrTx, input: NotificationInput): Promise<{ ids: number[] }> {
  const n = notificationSchema.parse(input);
  const recipients = n.recipients ?? defaultRecipients();
  if (recipients.length === 0) return { ids: [] };
  const rows = await db
    .insert(outboxMessages)
    .values(
      recipients.map((r) => ({
        companyId: n.companyId ?? null,
        channel: r.channel,
        recipient: r.to,
        topic: n.topic,
        subject: n.subject,
        body: n.text,
        data: n.data ?? null,
        dedupeKey: n.dedupeKey ?? null,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: outboxMessages.id });
  return { ids: rows.map((r) => r.id) };
}

function backoffMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Send due messages. Rows are leased (nextAttemptAt moved ahead) under SKIP LOCKED, so instances never double-send. */
export async function deliverOutbox(
  db: Db,
  opts: { limit?: number; now?: Date; ids?: number[] } = {},
): Promise<{ sent: number; failed: number; dead: number }> {
  const now = opts.now ?? clock.now();
  const due = db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.state, "pending"),
        lte(outboxMessages.nextAttemptAt, now),
        opts.ids ? inArray(outboxMessages.id, opts.ids) : undefined,
      ),
    )
    .orderBy(outboxMessages.nextAttemptAt)
    .limit(opts.limit ?? 50)
    .for("update", { skipLocked: true });
  const leased = await db
    .update(outboxMessages)
    .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: sql`${outboxMessages.attempts} + 1` })
    .where(inArray(outboxMessages.id, due))
    .returning();
  const result = { sent: 0, failed: 0, dead: 0 };
  for (const m of leased) {
    try {
      await getOutboxSender(m.channel)(m);
      await db
        .update(outboxMessages)
        .set({ state: "sent", sentAt: clock.now(), lastError: null })
        .where(eq(outboxMessages.id, m.id));
      result.sent++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const isDead = m.attempts >= MAX_ATTEMPTS;
      await db
        .update(outboxMessages)
        .set({
          state: isDead ? "dead" : "pending",
          lastError: message,
          nextAttemptAt: new Date(clock.nowMs() + backoffMs(m.attempts)),
        })
        .where(eq(outboxMessages.id, m.id));
      if (isDead) result.dead++;
      else result.failed++;
    }
  }
  return result;
}

export const listOutboxQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  state: z.enum(OUTBOX_STATES).optional(),
  topic: z.string().trim().min(1).max(100).optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Newest first, keyset on id. */
export async function listOutbox(
  db: DbOrTx,
  query: z.infer<typeof listOutboxQuerySchema>,
): Promise<{ items: OutboxMessage[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(outboxMessages.companyId, query.companyId));
  if (query.state) where.push(eq(outboxMessages.state, query.state));
  if (query.topic) where.push(eq(outboxMessages.topic, query.topic));
  if (query.cursor) where.push(lt(outboxMessages.id, query.cursor));
  const rows = await db
    .select()
    .from(outboxMessages)
    .where(and(...where))
    .orderBy(desc(outboxMessages.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Put a dead (or pending) message back at the front of the queue. */
export async function retryOutboxMessage(db: Db, input: { id: number; actor: Actor }): Promise<void> {
  const { id, actor } = input;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(outboxMessages)
      .set({ state: "pending", nextAttemptAt: clock.now(), attempts: 0 })
      .where(and(eq(outboxMessages.id, id), inArray(outboxMessages.state, ["pending", "dead"])))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", `Outbox message #${id} does not exist or was already sent`);
    await writeAudit(tx, {
      actor,
      action: "outbox.retry",
      targetType: "outbox_message",
      targetId: id,
      companyId: row.companyId,
    });
  });
}
