import type { APIRequestContext } from "@playwright/test";
import { asRole, BASE, expect, test } from "./fixtures";

// The Bookings panel: fallback mode, the manual-booking queue (claim, retry, mark booked by hand, cancel), the outbox;
// and a test booking made and cancelled by uid through the admin route (part B's slot debugger does it in the browser).
asRole("operator");

const bearer = { authorization: `Bearer ${process.env.OPS_API_TOKEN}` };

type Service = { id: number; name: string; calcomEventTypeId: number | null; companyId: number };

async function friseur(request: APIRequestContext) {
  const { companies } = (await (await request.get("/api/admin/calcom/companies", { headers: bearer })).json()) as {
    companies: { id: number; name: string }[];
  };
  const company = companies.find((c) => c.name === "Friseur");
  if (!company) throw new Error("demo company Friseur missing");
  const services = (await (
    await request.get(`/api/admin/calcom/services?companyId=${company.id}`, { headers: bearer })
  ).json()) as { services: Service[] };
  return { company, service: (name: string) => services.services.find((s) => s.name === name)! };
}

/** A weekday about `days` ahead, as YYYY-MM-DD in Berlin. */
function weekday(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  while ([0, 6].includes(new Date(d.toLocaleString("en-US", { timeZone: "Europe/Berlin" })).getDay()))
    d.setTime(d.getTime() + 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(d);
}

async function freeSlots(
  request: APIRequestContext,
  companyId: number,
  service: string,
  date: string,
): Promise<string[]> {
  const res = await request.post("/api/calcom/availability", { headers: bearer, data: { companyId, service, date } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { slots: { start: string }[]; service: { name: string } };
  return body.slots.map((s) => s.start);
}

test("a test booking through the admin route is stored with its uid and cancelled by uid", async ({ request }) => {
  const { company, service } = await friseur(request);
  const herren = service("Herrenhaarschnitt");
  // The phone platform's routes need the OPS_API_TOKEN bearer.
  expect(
    (
      await request.post("/api/calcom/availability", {
        data: { companyId: company.id, service: "Herrenhaarschnitt", date: weekday(12) },
      })
    ).status(),
  ).toBe(401);
  const [start] = await freeSlots(request, company.id, "herren haarschnitt", weekday(12));
  const res = await request.post("/api/admin/calcom/bookings", {
    headers: bearer,
    data: {
      companyId: company.id,
      serviceId: herren.id,
      start,
      attendee: { name: "E2E Tester", email: "e2e.tester@example.com", timeZone: "Europe/Berlin" },
    },
  });
  expect(res.status()).toBe(201);
  const booked = (await res.json()) as {
    uid: string;
    calcomBookingId: number;
    appointmentId: number;
    booking: { eventType: { id: number } };
  };
  expect(booked.uid).toBeTruthy();
  expect(booked.booking.eventType.id).toBe(herren.calcomEventTypeId);

  const numeric = await request.post(`/api/admin/calcom/bookings/${booked.calcomBookingId}/cancel`, {
    headers: bearer,
    data: { reason: "wrong id" },
  });
  expect(numeric.status()).toBe(400);
  const cancelled = await request.post(`/api/admin/calcom/bookings/${booked.uid}/cancel`, {
    headers: bearer,
    data: { reason: "e2e cleanup" },
  });
  expect(cancelled.status()).toBe(200);
  expect(((await cancelled.json()) as { booking: { status: string } }).booking.status).toBe("cancelled");
});

test("fallback mode queues requests; the operator claims, retries, marks booked by hand and cancels", async ({
  page,
  request,
}) => {
  const { company, service } = await friseur(request);
  const date = weekday(15);
  const slots = await freeSlots(request, company.id, "Nassrasur", date);
  expect(slots.length).toBeGreaterThan(3);
  const [retrySlot, handSlot, cancelSlot] = [slots[0]!, slots[2]!, slots[3]!];

  await page.goto(`${BASE}/bookings?company=${company.id}`);
  await expect(page.getByRole("heading", { name: "Bookings", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Switch on fallback mode of Friseur" }).click();
  const on = page.getByRole("form", { name: "Change fallback mode of Friseur" });
  await on.getByLabel("Reason").fill("e2e drill");
  await on.getByRole("button", { name: "Confirm switch on" }).click();
  await expect(page.getByTestId(`fallback-${company.id}`)).toContainText("fallback on");

  const ids: Record<string, number> = {};
  for (const [name, start] of [
    ["Retry Caller", retrySlot],
    ["Hand Caller", handSlot],
    ["Cancel Caller", cancelSlot],
  ] as const) {
    const res = await request.post("/api/calcom/bookings", {
      headers: bearer,
      data: {
        companyId: company.id,
        service: "nassrasur",
        start,
        attendee: { name, email: `${name.split(" ")[0]!.toLowerCase()}@example.com`, timeZone: "Europe/Berlin" },
      },
    });
    expect(res.status()).toBe(202);
    ids[name] = ((await res.json()) as { manualBooking: { id: number } }).manualBooking.id;
  }
  const row = (name: string) => page.getByTestId(`manual-booking-${ids[name]}`);
  for (const name of Object.keys(ids)) await expect(row(name)).toContainText("fallback mode");
  await expect(row("Retry Caller")).toContainText("Nassrasur");

  // Claim them all first: the recovery job (every minute) leaves claimed requests to their person.
  for (const name of Object.keys(ids)) {
    await page.getByRole("button", { name: `Claim manual booking ${ids[name]}` }).click();
    await expect(row(name)).toContainText("operator@e2e.test");
  }
  // Switch fallback off and book the first in Cal.com with "Retry now".
  await page.getByRole("button", { name: "Switch off fallback mode of Friseur" }).click();
  const off = page.getByRole("form", { name: "Change fallback mode of Friseur" });
  await off.getByLabel("Reason").fill("drill over");
  await off.getByRole("button", { name: "Confirm switch off" }).click();
  await expect(page.getByTestId(`fallback-${company.id}`)).toContainText("normal booking");
  await page.getByRole("button", { name: `Retry manual booking ${ids["Retry Caller"]} now` }).click();
  await expect(row("Retry Caller")).toHaveCount(0);

  // Someone booked "Hand Caller" directly in Cal.com; the operator enters that uid.
  const direct = await request.post("/api/calcom-sandbox/v2/bookings", {
    headers: { "cal-api-version": "2024-08-13" },
    data: {
      eventTypeId: service("Nassrasur").calcomEventTypeId,
      start: handSlot,
      attendee: { name: "Hand Caller", email: "hand@example.com", timeZone: "Europe/Berlin" },
    },
  });
  expect(direct.status()).toBe(201);
  const uid = ((await direct.json()) as { data: { uid: string } }).data.uid;
  await page.getByRole("button", { name: `Mark manual booking ${ids["Hand Caller"]} booked by hand` }).click();
  const resolve = page.getByRole("form", { name: `Mark manual booking ${ids["Hand Caller"]} booked` });
  await resolve.getByLabel("Cal.com booking uid").fill(uid);
  await resolve.getByRole("button", { name: "Confirm booked" }).click();
  await expect(row("Hand Caller")).toHaveCount(0);

  await page.getByRole("button", { name: `Cancel manual booking ${ids["Cancel Caller"]}` }).click();
  const cancel = page.getByRole("form", { name: `Cancel manual booking ${ids["Cancel Caller"]}` });
  await cancel.getByLabel("Cancellation reason").fill("caller withdrew");
  await cancel.getByRole("button", { name: "Confirm cancel" }).click();
  await expect(row("Cancel Caller")).toHaveCount(0);

  await page.getByLabel("Show").selectOption("booked");
  await expect(row("Retry Caller")).toContainText("booked");
  await expect(row("Hand Caller")).toContainText(uid);
  await expect(page.getByRole("table", { name: "Outbox" })).toContainText("Manual booking needed: Nassrasur");

  await page.goto(`${BASE}/audit`);
  await expect(page.getByRole("cell", { name: "manual-booking.resolve" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "booking.fallback-mode.on" }).first()).toBeVisible();
});
