import { asRole, BASE, expect, test } from "./fixtures";

asRole("operator");

test("calls made from the raw API console show up in the metrics charts", async ({ page }) => {
  // A few real calls through the company's client: GET /v2/me and a 404 for a booking uid that does not exist.
  await page.goto(`${BASE}/raw-api`);
  await expect(page.getByRole("heading", { level: 1, name: "Raw API" })).toBeVisible();
  const form = page.getByRole("form", { name: "Raw API request" });
  await form.getByLabel("Company to call").selectOption({ label: "Friseur" });
  for (const path of ["/v2/me", "/v2/teams/34209/event-types", "/v2/bookings/doesnotexist"]) {
    await form.getByRole("textbox", { name: /^Path/ }).fill(path);
    await form.getByRole("button", { name: "Send GET" }).click();
    await expect(page.getByTestId("raw-api-url")).toContainText(path);
  }
  await expect(page.getByText("CAL-011")).toBeVisible();
  await expect(page.getByLabel("Response body")).toBeVisible();

  await page.goto(`${BASE}/metrics`);
  await expect(page.getByRole("heading", { level: 1, name: "Metrics" })).toBeVisible();
  await page.getByRole("group", { name: "Window" }).getByRole("button", { name: "1 h" }).click();
  await expect
    .poll(async () => Number((await page.getByTestId("stat-Calls").innerText()).replace(/\D/g, "")))
    .toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId("stat-Success rate")).toContainText("%");
  const families = page.getByRole("figure", { name: "Calls per endpoint family" });
  await expect(families.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(families).toContainText("raw");
  const success = page.getByRole("figure", { name: "API success rate" });
  await expect(success.locator(".recharts-line-dot").first()).toBeVisible();
  await expect(
    page.getByRole("figure", { name: "Latency p50 / p95" }).locator(".recharts-line-dot").first(),
  ).toBeVisible();
  await expect(page.getByRole("figure", { name: "Circuit state bands" })).toBeVisible();
});
