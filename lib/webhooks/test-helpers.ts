import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { companies, companyWebhookSecrets, services } from "@/drizzle/schema/core";
import { webhookDeliveries, webhookSettings } from "@/drizzle/schema/webhooks";
import { POST as postShared } from "@/app/api/webhooks/calcom/route";
import { POST as postPinned } from "@/app/api/webhooks/calcom/[companySlug]/route";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { PEER_HEADER } from "@/lib/http/client-address";
import { sampleBookingBody, type BookingOpts } from "./sample-bodies";
import { hmacHex } from "./verify";

/**
 * Integration-test helpers: a company with its own secrets and services, Cal.com-shaped bodies
 * (shared/calcom-v2.md §4.2) signed as Cal.com signs them, and posts through the real route handlers.
 */

export type WebhookTestCompany = {
  companyId: number;
  slug: string;
  secret: string;
  eventTypeId: number;
  serviceId: number;
};

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(3).toString("hex")}`;

/** A documentation-range IPv6 address of its own for each request (2001:db8::/32). */
export const testAddress = () =>
  `2001:db8::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}:${(counter++).toString(16)}`;

export async function createWebhookCompany(
  db: Db,
  opts: { secrets?: string[]; allowUnsigned?: boolean; eventTypeId?: number } = {},
): Promise<WebhookTestCompany> {
  const slug = `wh-it-${unique()}`;
  const [company] = await db.insert(companies).values({ name: slug, slug }).returning({ id: companies.id });
  const companyId = company!.id;
  const secrets = opts.secrets ?? [`whsec_${randomBytes(16).toString("hex")}`];
  // Inserted oldest first: the last one is the newest ("current") secret.
  for (const [i, secret] of secrets.entries()) {
    await db.insert(companyWebhookSecrets).values({
      companyId,
      label: i === secrets.length - 1 ? "current" : `old-${i}`,
      secretEnc: encryptSecret(secret),
      secretLast4: secret.slice(-4),
    });
  }
  if (opts.allowUnsigned) await db.insert(webhookSettings).values({ companyId, allowUnsigned: true });
  const eventTypeId = opts.eventTypeId ?? 900_000_000 + Math.floor(Math.random() * 90_000_000);
  const [service] = await db
    .insert(services)
    .values({ companyId, name: "Haarschnitt", calcomEventTypeId: eventTypeId, durationMinutes: 30 })
    .returning({ id: services.id });
  return { companyId, slug, secret: secrets.at(-1) ?? "", eventTypeId, serviceId: service!.id };
}

export const newUid = () => `uid-${unique()}`;

/** A booking trigger envelope with a fresh uid unless one is given (lib/webhooks/sample-bodies.ts). */
export const bookingBody = (trigger: string, o: Partial<BookingOpts> = {}) =>
  sampleBookingBody(trigger, { ...o, uid: o.uid ?? newUid() });

/** MEETING_STARTED / MEETING_ENDED: flat, no payload wrapper, createdAt = booking creation. */
export function meetingBody(
  trigger: "MEETING_STARTED" | "MEETING_ENDED",
  o: { uid: string; eventTypeId?: number; noShow?: boolean },
): Record<string, unknown> {
  return {
    triggerEvent: trigger,
    id: 123,
    uid: o.uid,
    userId: 1,
    eventTypeId: o.eventTypeId ?? null,
    title: "Herrenhaarschnitt",
    startTime: "2050-03-02T09:00:00.000Z",
    endTime: "2050-03-02T09:30:00.000Z",
    status: "ACCEPTED",
    createdAt: "2050-02-01T10:00:00.000Z",
    attendees: [{ name: "Kunde", email: "kunde@example.com", timeZone: "Europe/Berlin", noShow: Boolean(o.noShow) }],
    user: { id: 1, name: "Anna", email: "anna@example.com" },
  };
}

export type PostOptions = {
  slug?: string;
  secret?: string | null;
  header?: string;
  signature?: string;
  contentType?: string;
  headers?: Record<string, string>;
  address?: string;
};

/** Signs like Cal.com: lowercase hex HMAC-SHA256 of the exact body in X-Cal-Signature-256 ("no-secret-provided" without a secret). */
export function signedRequest(body: string | Uint8Array, o: PostOptions = {}): Request {
  const signature = o.signature ?? (o.secret ? hmacHex(o.secret, body) : "no-secret-provided");
  const headers: Record<string, string> = {
    "content-type": o.contentType ?? "application/json",
    "x-cal-webhook-version": "2021-10-20",
    ...o.headers,
  };
  if (o.header !== "") headers[o.header ?? "x-cal-signature-256"] = signature;
  // Each test posts from its own address unless it says otherwise, so the per-address limit never spills over.
  headers[PEER_HEADER] = o.address ?? testAddress();
  const url = `http://127.0.0.1/api/webhooks/calcom${o.slug ? `/${o.slug}` : ""}`;
  return new Request(url, { method: "POST", headers, body: body as BodyInit });
}

export type Posted = { status: number; json: { ok: boolean; id: number; verdict?: string; message?: string } };

/** Posts through the real route handler (pinned when a slug is given). */
export async function post(body: string | Uint8Array | Record<string, unknown>, o: PostOptions = {}): Promise<Posted> {
  const raw = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const req = signedRequest(raw, o);
  const res = o.slug
    ? await postPinned(req, { params: Promise.resolve({ companySlug: o.slug }) })
    : await postShared(req);
  const json = (await res.json()) as Posted["json"];
  // Rejections carry the stored row's id in a header (their body is the same for every rejection of a kind).
  const headerId = res.headers.get("x-webhook-delivery-id");
  return { status: res.status, json: { ...json, id: json.id ?? (headerId ? Number(headerId) : json.id) } };
}

export async function deliveryRow(db: Db, id: number) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!row) throw new Error(`delivery ${id} not stored`);
  return row;
}

/** Our webhook receiver (the real route handlers) served over HTTP, so the sandbox can deliver to it. */
export async function startReceiverServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(url, { method: req.method, headers, body: Buffer.concat(chunks) });
    const slug = url.pathname.match(/^\/api\/webhooks\/calcom\/([^/]+)$/)?.[1];
    const response = slug
      ? await postPinned(request, { params: Promise.resolve({ companySlug: slug }) })
      : await postShared(request);
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
