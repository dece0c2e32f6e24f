import { readFile } from "node:fs/promises";
import type { APIRequestContext } from "@playwright/test";
import { asRole, BASE, expect, test } from "./fixtures";

// The booking timeline page: a request that went to the manual queue (fallback mode), was booked by recovery and
// came back from Cal.com as a webhook; its page tells that story, the manual queue links to it, and the support
// bundle downloads without the caller's personal data. Specs run one at a time; fallback mode is off again at the end.
asRole("operator");

const bearer = { authorization: `Bearer ${process.env.OPS_API_TOKEN}` };

async function friseur(request: APIRequestContext) {
  const { companies } = (await (await request.get("/api/admin/calcom/companies", { headers: bearer })).json()) as {
    companies: { id: number; name: string }[];
  };
  const company = companies.find((c) => c.name === "Friseur");
  if (!company) throw new Error("demo company Friseur missing");
  const body = (await (
    await request.get(`/api/admin/calcom/services?companyId=${company.id}`, { headers: bearer })
  ).json()) as
    | { name: string; isActive: boolean; calcomEventTypeId: number | null }[]
    | { services: { name: string; isActive: boolean; calcomEventTypeId: number | null }[] };
  const list = Array.isArray(body) ? body : body.services;
  const service = list.find((s) => s.name === "Damenhaarschnitt" && s.isActive && s.calcomEventTypeId);
  if (!service) throw new Error("Friseur has no bookable Damenhaarschnitt");
  return { company, service: service.name };
}

function weekday(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  while ([0, 6].includes(new Date(d.toLocaleString("en-US", { timeZone: "Europe/Berlin" })).getDay()))
    d.setTime(d.getTime() + 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(d);
}

test("the timeline of a queued, recovered booking, linked from the manual queue, exported redacted", async ({
  page,
  request,
}) => {
  const { company, service } = await friseur(request);
  const offered = await request.post("/api/calcom/availability", {
    headers: bearer,
    data: { companyId: company.id, service, date: weekday(16) },
  });
  expect(offered.status()).toBe(200);
  const [start] = ((await offered.json()) as { slots: { start: string }[] }).slots.map((s) => s.start);
  expect(start).toBeTruthy();

  const on = await request.post("/api/admin/calcom/fallback-mode", {
    headers: bearer,
    data: { companyId: company.id, isEnabled: true, minutes: 30, reason: "timeline e2e" },
  });
  expect(on.status()).toBe(200);
  const res = await request.post("/api/admin/calcom/bookings", {
    headers: bearer,
    data: {
      companyId: company.id,
      service,
      start,
      idempotencyKey: `timeline-e2e-${Date.now()}`,
      attendee: {
        name: "Tilda Timeline",
        email: "tilda.timeline@example.com",
        phone: "+4930555000111",
        timeZone: "Europe/Berlin",
      },
    },
  });
  const queued = (await res.json()) as { outcome: string; appointmentId: number; manualBooking: { id: number } };
  expect(queued.outcome).toBe("manual");

  // The manual queue row links to the timeline.
  await page.goto(`${BASE}/bookings?company=${company.id}`);
  await page
    .getByTestId(`manual-booking-${queued.manualBooking.id}`)
    .getByRole("link", { name: `Timeline of appointment #${queued.appointmentId}` })
    .click();
  await expect(page.getByRole("heading", { name: `Appointment #${queued.appointmentId}` })).toBeVisible();
  const events = page.getByRole("list", { name: "Timeline events" });
  await expect(events).toContainText("Offered");
  await expect(events).toContainText("Queued for manual booking (fallback_mode)");

  expect(
    (
      await request.post("/api/admin/calcom/fallback-mode", {
        headers: bearer,
        data: { companyId: company.id, isEnabled: false, reason: "timeline e2e done" },
      })
    ).status(),
  ).toBe(200);
  const retry = await request.post(`/api/admin/calcom/manual-bookings/${queued.manualBooking.id}/retry`, {
    headers: bearer,
    data: {},
  });
  expect(retry.status()).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(events).toContainText("POST /v2/bookings → 201", { timeout: 1_000 });
    await expect(events).toContainText("Webhook BOOKING_CREATED: verified, processed", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(events).toContainText("Manual queue entry booked");
  await expect(events).toContainText("booking.create by");

  // Hiding a kind filters the list.
  await page.getByRole("checkbox", { name: "Cal.com call" }).uncheck();
  await expect(events).not.toContainText("POST /v2/bookings → 201");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export support bundle" }).click();
  const file = await (await download).path();
  const text = await readFile(file, "utf8");
  const bundle = JSON.parse(text) as {
    kind: string;
    timeline: { subject: { appointmentId: number }; events: unknown[] };
  };
  expect(bundle.kind).toBe("calcom-diagnostics.support-bundle");
  expect(bundle.timeline.subject.appointmentId).toBe(queued.appointmentId);
  for (const personal of ["tilda.timeline@example.com", "Tilda", "+4930555000111"])
    expect(text).not.toContain(personal);
});
