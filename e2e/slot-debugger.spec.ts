import { asRole, BASE, expect, storageStatePath, test } from "./fixtures";

asRole("operator");

/** A weekday far enough ahead that other specs' bookings and the minimum notice do not touch it. */
function futureWeekday(daysAhead: number): string {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test("debug a day, ask why a time is missing, book a slot and cancel it by uid", async ({ page }) => {
  const day = futureWeekday(45);
  await page.goto(`${BASE}/slot-debugger`);
  await expect(page.getByRole("heading", { level: 1, name: "Slot debugger" })).toBeVisible();

  const form = page.getByRole("form", { name: "Slot query" });
  await form.getByLabel("Debug company").selectOption({ label: "Friseur" });
  await form
    .getByRole("combobox", { name: "Service", exact: true })
    .selectOption({ label: "Herrenhaarschnitt (3757770)" });
  await form.getByLabel("From", { exact: true }).fill(day);
  await form.getByRole("button", { name: "Show slots" }).click();

  // Slots in local time and UTC; the inputs are in the URL (the permalink).
  const slots = page.getByRole("region", { name: "Offered slots" });
  await expect(slots.getByRole("button", { name: `Slot ${day} 09:00` })).toBeVisible();
  await expect(slots.getByRole("button", { name: `Slot ${day} 09:00` })).toContainText(/0[78]:00 UTC/);
  await expect(page).toHaveURL(new RegExp(`service=\\d+.*from=${day}.*tz=Europe%2FBerlin`));

  // The exact request and the raw response.
  const request = page.getByRole("region", { name: "Request sent to Cal.com" });
  await expect(request).toContainText("GET /v2/slots?eventTypeId=3757770");
  await expect(request).toContainText("cal-api-version");
  await expect(request).toContainText("2024-09-04");
  await expect(page.getByLabel("Response body")).toContainText(`"${day}"`);

  // Why not 08:00? Before opening time.
  await page.getByLabel("Why not").fill("08:00");
  await expect(page.getByRole("list", { name: "Reasons" })).toContainText("Outside the schedule");
  await expect(page).toHaveURL(new RegExp(`at=${day}T08%3A00`));

  // The permalink restores everything.
  await page.reload();
  await expect(
    page.getByRole("region", { name: "Offered slots" }).getByRole("button", { name: `Slot ${day} 09:00` }),
  ).toBeVisible();
  await expect(page.getByRole("list", { name: "Reasons" })).toContainText("Outside the schedule");

  // Book 10:00 the way production does, then cancel it by uid.
  await page
    .getByRole("region", { name: "Offered slots" })
    .getByRole("button", { name: `Slot ${day} 10:00` })
    .click();
  const booking = page.getByRole("form", { name: "Test booking" });
  await expect(booking).toContainText(`Slot: ${day} 10:00`);
  await booking.getByLabel("Attendee name").fill("Playwright Test");
  await booking.getByRole("button", { name: "Book this slot" }).click();
  const result = page.getByRole("region", { name: "Booking result" });
  await expect(result).toContainText("booked");
  await expect(result).toContainText("Local appointment #");
  const uid = (await page.getByTestId("booked-uid").textContent())?.trim() ?? "";
  expect(uid).toMatch(/^[A-Za-z0-9_-]{10,}$/);

  const cancel = page.getByRole("form", { name: "Cancel by uid" });
  await expect(cancel.getByLabel("Booking uid")).toHaveValue(uid);
  await cancel.getByRole("button", { name: "Cancel by uid" }).click();
  const cancelled = page.getByRole("region", { name: "Cancel result" });
  await expect(cancelled).toContainText(`Cal.com booking ${uid}: cancelled`);
  await expect(cancelled).toContainText(/local appointment #\d+: cancelled/);

  // The cancellation incident: a numeric id is refused with a clear message.
  await cancel.getByLabel("Booking uid").fill("12846550");
  await cancel.getByRole("button", { name: "Cancel by uid" }).click();
  await expect(page.getByTestId("cancel-error")).toContainText("numeric booking id");

  // The recorded queries show what was offered.
  await expect(page.getByRole("table", { name: "Recent slot queries" })).toContainText("panel · operator@e2e.test");
});

test("the end-to-end button books, verifies and cancels by uid", async ({ page }) => {
  const day = futureWeekday(46);
  await page.goto(`${BASE}/slot-debugger?from=${day}&eventType=3757770`);
  await expect(
    page.getByRole("region", { name: "Offered slots" }).getByRole("button", { name: `Slot ${day} 09:00` }),
  ).toBeVisible();
  await page.getByRole("button", { name: /Run end-to-end test/ }).click();
  const steps = page.getByRole("list", { name: "End-to-end test steps" });
  await expect(steps).toContainText("5. Slot offered again: ok");
  await expect(steps).toContainText("4. Cancel by uid: ok");
});

test("a viewer can debug but not book", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStatePath("viewer") });
  const page = await context.newPage();
  const day = futureWeekday(47);
  await page.goto(`${BASE}/slot-debugger?from=${day}&eventType=3757770`);
  await expect(
    page.getByRole("region", { name: "Offered slots" }).getByRole("button", { name: `Slot ${day} 09:00` }),
  ).toBeDisabled();
  await expect(page.getByRole("form", { name: "Test booking" })).toHaveCount(0);
  await context.close();
});
