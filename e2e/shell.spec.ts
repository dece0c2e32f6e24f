import { asRole, BASE, expect, test } from "./fixtures";

asRole("viewer");

test("every panel is reachable from the navigation and says what will appear", async ({ page }) => {
  await page.goto(BASE);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  for (const label of [
    "Circuit",
    "Sync runs",
    "Services review",
    "Webhooks",
    "Bookings",
    "Slot debugger",
    "Reconciliation",
    "Metrics",
    "Raw API",
    "Audit",
  ]) {
    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
  }
});

test("the sandbox banner shows while Cal.com is the built-in sandbox", async ({ page }) => {
  await page.goto(BASE);
  await expect(page.getByTestId("sandbox-banner")).toContainText("sandbox");
});

test("the company switcher narrows the overview to one company and keeps it across panels", async ({ page }) => {
  await page.goto(BASE);
  await expect(page.getByRole("heading", { name: "Praxis am Markt" })).toBeVisible();
  await page.getByLabel("Company").selectOption({ label: "Friseur" });
  await expect(page).toHaveURL(/company=\d+/);
  await expect(page.getByRole("heading", { name: "Praxis am Markt" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/audit\?company=\d+/);
});
