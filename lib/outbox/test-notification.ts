import "server-only";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { OUTBOX_CHANNELS, outboxMessages } from "@/drizzle/schema/booking";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { defaultRecipients, deliverOutbox, enqueueNotification } from "./outbox";

export const sendTestNotificationSchema = z.object({
  channel: z.enum(OUTBOX_CHANNELS),
  /** Omitted: the channel's default recipients (OUTBOX_EMAIL_TO / OUTBOX_WEBHOOK_URL). */
  to: z.string().trim().min(3).max(500).optional(),
});

/** "Send test": one message per recipient through the real sender, delivered now; answers what each delivery did. */
export async function sendTestNotification(db: Db, input: z.infer<typeof sendTestNotificationSchema>, actor: Actor) {
  const recipients = input.to
    ? [{ channel: input.channel, to: input.to }]
    : defaultRecipients().filter((r) => r.channel === input.channel);
  if (recipients.length === 0)
    throw new AppError("BAD_REQUEST", `No default ${input.channel} recipient is configured; enter one.`);
  const { ids } = await db.transaction(async (tx) => {
    const queued = await enqueueNotification(tx, {
      topic: "test",
      subject: "Test notification from Cal.com Diagnostics",
      text: `Sent by ${actorLabel(actor)} from the Settings panel at ${new Date().toISOString()}. If you read this, the ${input.channel} channel works.`,
      recipients,
    });
    await writeAudit(tx, {
      actor,
      action: "outbox.test",
      targetType: "outbox_channel",
      targetId: input.channel,
      details: { recipients: recipients.length },
    });
    return queued;
  });
  const result = await deliverOutbox(db, { ids });
  const rows = ids.length
    ? await db
        .select({ id: outboxMessages.id, state: outboxMessages.state, lastError: outboxMessages.lastError })
        .from(outboxMessages)
        .where(inArray(outboxMessages.id, ids))
    : [];
  return { ...result, messages: rows };
}
