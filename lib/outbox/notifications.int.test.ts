import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxMessages } from "@/drizzle/schema/booking";
import { companies } from "@/drizzle/schema/core";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { notifyAlertOpened } from "@/lib/alerts/notify";
import { updateAlertThresholds } from "@/lib/alerts/settings";
import { resetEnvCache } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { getOutboxChannelStatus } from "./channels";
import { deliverOutbox } from "./outbox";

// Notifications that reach people: an alert goes through the outbox to a real SMTP server started here (smtp-server),
// a Slack-compatible webhook receives {text, blocks}, and the channel status shows last deliveries and errors.
type Mail = { from: string; to: string[]; raw: string };
const actor = { kind: "system", label: "notifications-it", role: "admin" } as const;
const REFUSED = "nobody@refused.example.com";
let db: Db;
let smtp: SMTPServer;
let hooks: Server;
let hookUrl: string;
const mails: Mail[] = [];
const posts: { path: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  db = await getTestDb();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED)
        return callback(Object.assign(new Error("No such user here"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.SMTP_FROM = "Diagnostics <diag@example.com>";
  resetEnvCache();
  hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      posts.push({
        path: req.url ?? "",
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", () => resolve()));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/services/T000/B000/secretpart`;
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.SMTP_FROM;
  resetEnvCache();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => hooks?.close(() => resolve()));
  await closeDb();
});

async function company(notify: { email?: string; webhook?: string }) {
  const slug = `notify-it-${randomBytes(4).toString("hex")}`;
  const [c] = await db.insert(companies).values({ name: slug, slug }).returning();
  await updateAlertThresholds(db, {
    companyId: c!.id,
    input: { notifyEmail: notify.email ?? null, notifyWebhookUrl: notify.webhook ?? null },
    actor,
  });
  return c!;
}

/** A probe that holds one condition active for the given company: the alert opens and is notified. */
async function openAlert(companyId: number, title: string) {
  const result = await evaluateAlerts(db, {
    probes: [
      async () =>
        new Map([
          [
            companyId,
            [
              {
                kind: "notify_it",
                active: true,
                severity: "warning" as const,
                title,
                message: `${title}: details for the test.`,
              },
            ],
          ],
        ]),
    ],
    onOpened: notifyAlertOpened,
  });
  const opened = result.opened.find((o) => o.companyId === companyId);
  if (!opened) throw new Error("alert not opened");
  return db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.dedupeKey, `alert:${opened.alertId}`));
}

describe("notifications", () => {
  it("an opened alert reaches the SMTP server, and the channel status shows the delivery", async () => {
    const c = await company({ email: "oncall@example.com" });
    const queued = await openAlert(c.id, "SMTP alert");
    expect(queued.map((m) => m.channel)).toEqual(["email"]);
    const result = await deliverOutbox(db, { ids: queued.map((m) => m.id) });
    expect(result).toEqual({ sent: 1, failed: 0, dead: 0 });
    const mail = mails.find((m) => m.raw.includes("SMTP alert"));
    expect(mail).toMatchObject({ from: "diag@example.com", to: ["oncall@example.com"] });
    expect(mail!.raw).toContain(`Subject: [warning] ${c.name}: SMTP alert`);
    expect(mail!.raw).toContain("X-Outbox-Topic: alert.opened");
    expect(mail!.raw).toContain("SMTP alert: details for the test.");

    const email = (await getOutboxChannelStatus(db)).find((s) => s.channel === "email")!;
    expect(email.delivery).toBe(`SMTP ${process.env.SMTP_URL}`);
    expect(email.recipients.find((r) => r.recipient === "oncall@example.com")).toMatchObject({
      lastSubject: `[warning] ${c.name}: SMTP alert`,
      lastError: null,
      pending: 0,
    });
  });

  it("keeps a refused email pending with the server's answer as the channel's last error", async () => {
    const c = await company({ email: REFUSED });
    const queued = await openAlert(c.id, "Refused alert");
    expect(await deliverOutbox(db, { ids: queued.map((m) => m.id) })).toEqual({ sent: 0, failed: 1, dead: 0 });
    const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, queued[0]!.id));
    expect(row).toMatchObject({ state: "pending" });
    expect(row!.lastError).toContain("550");
    const refused = (await getOutboxChannelStatus(db))
      .find((s) => s.channel === "email")!
      .recipients.find((r) => r.recipient === REFUSED);
    expect(refused).toMatchObject({ lastSentAt: null, pending: 1 });
    expect(refused!.lastError).toContain("No such user here");
  });

  it("sends the Slack-compatible {text, blocks} body with OUTBOX_WEBHOOK_FORMAT=slack and hides the URL's secret path", async () => {
    // A company's notify URL goes through the outbound-URL policy, which refuses fragments: the format comes from
    // the environment here, not from a "#slack" marker.
    process.env.OUTBOX_WEBHOOK_FORMAT = "slack";
    resetEnvCache();
    const c = await company({ webhook: hookUrl });
    const queued = await openAlert(c.id, "Slack alert");
    const delivered = await deliverOutbox(db, { ids: queued.map((m) => m.id) });
    delete process.env.OUTBOX_WEBHOOK_FORMAT;
    resetEnvCache();
    expect(delivered).toEqual({ sent: 1, failed: 0, dead: 0 });
    const post = posts.find((p) => JSON.stringify(p.body).includes("Slack alert"))!;
    expect(post.path).toBe("/services/T000/B000/secretpart");
    expect(post.body.text).toBe(`[warning] ${c.name}: Slack alert`);
    expect(post.body.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: `[warning] ${c.name}: Slack alert`, emoji: false } },
      {
        type: "section",
        text: { type: "mrkdwn", text: expect.stringContaining("Slack alert: details for the test.") },
      },
      { type: "context", elements: [{ type: "mrkdwn", text: expect.stringContaining("alert.opened") }] },
    ]);
    const webhook = (await getOutboxChannelStatus(db)).find((s) => s.channel === "webhook")!;
    const origin = new URL(hookUrl).origin;
    expect(webhook.recipients.map((r) => r.recipient)).toContain(`${origin}/…`);
    expect(JSON.stringify(webhook)).not.toContain("secretpart");
  });
});
