import { asRole, BASE, expect, test } from "./fixtures";

// Issue 16, time policy: every time in the company's zone (Friseur: Europe/Berlin), whatever zone the browser is in
// (the projects run this in Europe/Berlin and America/New_York), 24-hour, with the zone named.
asRole("operator");

const berlinWallClock = (at: number) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" })
    .format(new Date(at))
    .replace(" ", "T");

test("the header names the zone times are shown in", async ({ page }) => {
  await page.goto(`${BASE}/circuit`);
  await expect(page.getByTestId("display-zone")).toContainText("Times in");
  await expect(page.getByLabel("Time zone")).toHaveValue("");
  await expect(page.getByLabel("Time zone").locator("option:checked")).toHaveText(
    /^Europe\/Berlin \(CES?T\), the company's$/,
  );
});

test("force open defaults to 30 minutes ahead on the company's clock, names the zone, and the defaults submit", async ({
  page,
}) => {
  await page.goto(`${BASE}/circuit`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Friseur" }) });
  const before = berlinWallClock(Date.now() + 30 * 60_000);
  await card.getByRole("button", { name: "Force open…" }).click();
  const form = card.getByRole("form", { name: "Force open circuit of Friseur" });
  const until = form.getByLabel(/^Hold open until \(Europe\/Berlin, CES?T\)/);
  const value = await until.inputValue();
  const after = berlinWallClock(Date.now() + 30 * 60_000);
  expect([before, after]).toContain(value);
  await expect(form).toContainText("Refuse every Cal.com call for Friseur");

  await form.getByLabel("Reason").fill("e2e maintenance window");
  await form.getByRole("button", { name: "Confirm force open" }).click();
  const expectedUntil = `${value.replace("T", " ")} CE`;
  await expect(card.getByRole("status")).toContainText(`held open until ${expectedUntil}`);
  await expect(card.getByTestId("circuit-state-1")).toContainText("maintenance");
  await expect(card.locator("dd", { hasText: expectedUntil })).toBeVisible();
  await expect(card).not.toContainText(/\b(AM|PM)\b/);

  // Close it again so the other specs find a closed circuit.
  await card.getByRole("button", { name: "Reset…" }).click();
  const reset = card.getByRole("form", { name: "Reset circuit of Friseur" });
  await reset.getByLabel("Reason").fill("e2e maintenance over");
  await reset.getByRole("button", { name: "Confirm reset" }).click();
  await expect(card.getByTestId("circuit-state-1")).toContainText("closed");
});

test("a hold that ends in the past is refused in the form, before it reaches the server", async ({ page }) => {
  await page.goto(`${BASE}/circuit`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Friseur" }) });
  await card.getByRole("button", { name: "Force open…" }).click();
  const form = card.getByRole("form", { name: "Force open circuit of Friseur" });
  await form.getByLabel(/^Hold open until/).fill(berlinWallClock(Date.now() - 60 * 60_000));
  await expect(form).toContainText("That time has passed");
});

test("the viewer can choose another zone once; every time then shows in it", async ({ page }) => {
  await page.goto(`${BASE}/audit`);
  await expect(page.getByRole("table", { name: "Audit log" }).locator("time").first()).toHaveText(/ CES?T$/);
  await page.getByLabel("Time zone").selectOption("UTC");
  await expect(page.getByRole("table", { name: "Audit log" }).locator("time").first()).toHaveText(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
  );
  await page.reload();
  await expect(page.getByLabel("Time zone")).toHaveValue("UTC");
});

test("metrics charts label their axis in the company's zone, 24-hour", async ({ page }) => {
  // A connection test makes two Cal.com calls, so the latency chart has points.
  await page.goto(`${BASE}/circuit`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Friseur" }) });
  await card.getByRole("button", { name: "Test connection" }).click();
  await expect(card.getByRole("list", { name: "Connection test result" })).toBeVisible();
  await page.goto(`${BASE}/metrics`);
  await page.getByRole("group", { name: "Window" }).getByRole("button", { name: "7 d" }).click();
  const latency = page.getByRole("figure", { name: "Latency p50 / p95" });
  await expect(latency).toContainText("times in Europe/Berlin");
  // 7-day axis: "07 Dec 09:00" in the company's zone, never "12/01 7h".
  await expect(
    latency
      .locator("svg text")
      .filter({ hasText: /^\d\d [A-Z][a-z]{2} \d\d:\d\d$/ })
      .first(),
  ).toBeVisible();
  await expect(latency).not.toContainText(/\b(AM|PM)\b|\d+h\b/);
});
