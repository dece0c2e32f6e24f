import { asRole, BASE, expect, test } from "./fixtures";

test.describe("operator", () => {
  asRole("operator");

  test("an open circuit shows on the overview, raises an alert that can be acknowledged, and resolves when it closes", async ({
    page,
  }) => {
    await page.goto(BASE);
    const tile = page.getByRole("list", { name: "Health of Praxis am Markt" });
    await expect(tile).toContainText("closed");

    // Hold the circuit open, as maintenance would.
    await page.goto(`${BASE}/circuit`);
    const card = page.locator("section", { has: page.getByRole("heading", { name: "Praxis am Markt" }) });
    await card.getByRole("button", { name: "Force open…" }).click();
    const form = card.getByRole("form", { name: "Force open circuit of Praxis am Markt" });
    await form.getByLabel("Reason").fill("overview alert test");
    await form.getByRole("button", { name: "Confirm force open" }).click();
    await expect(card.getByTestId(/circuit-state-/)).toContainText("open");

    await page.goto(BASE);
    await expect(tile).toContainText(/held open by an operator until \d{4}-\d\d-\d\d \d\d:\d\d/);
    await page.getByRole("button", { name: "Check now" }).click();
    const alerts = page.getByRole("table", { name: "Alerts" });
    const row = alerts
      .locator("tr", { hasText: "Circuit held open by an operator" })
      .filter({ hasText: "Praxis am Markt" });
    await expect(row).toContainText("open");
    await expect(tile).toContainText(/[1-9]\d* open/);

    await row.getByRole("button", { name: /Acknowledge/ }).click();
    await expect(row).toContainText("acknowledged");

    // The circuit closes: the next check resolves the alert by itself.
    await page.goto(`${BASE}/circuit`);
    await card.getByRole("button", { name: "Reset…" }).click();
    const reset = card.getByRole("form", { name: "Reset circuit of Praxis am Markt" });
    await reset.getByLabel("Reason").fill("maintenance over");
    await reset.getByRole("button", { name: "Confirm reset" }).click();
    await expect(card.getByTestId(/circuit-state-/)).toContainText("closed");
    await page.goto(BASE);
    await page.getByRole("button", { name: "Check now" }).click();
    await expect(
      page
        .getByRole("table", { name: "Alerts" })
        .locator("tr", { hasText: "Circuit held open by an operator" })
        .filter({ hasText: "Praxis am Markt" }),
    ).toHaveCount(0);
    await page.getByLabel("Alert status").selectOption("resolved");
    await expect(
      page
        .getByRole("table", { name: "Alerts" })
        .locator("tr", { hasText: "Circuit held open by an operator" })
        .first(),
    ).toContainText("resolved");

    await page.goto(`${BASE}/audit`);
    await expect(
      page.locator("tr", { has: page.getByRole("cell", { name: "alerts.acknowledge" }) }).first(),
    ).toContainText("operator@e2e.test");
  });

  test("every line of a tile links to its panel", async ({ page }) => {
    await page.goto(BASE);
    const tile = page.getByRole("list", { name: "Health of Friseur" });
    await tile.getByRole("link", { name: "Circuit" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Circuit" })).toBeVisible();
    await expect(page).toHaveURL(/circuit\?company=\d+/);
  });
});

test.describe("admin", () => {
  asRole("admin");

  test("alert thresholds are configurable per company and audited", async ({ page }) => {
    await page.goto(`${BASE}/settings`);
    const form = page.getByRole("form", { name: "Alert thresholds of Friseur" });
    await expect(form.getByLabel("Success rate below (%)")).toHaveValue("95");
    await form.getByLabel("Average latency above (ms)").fill("1500");
    await form.getByRole("button", { name: "Save thresholds" }).click();
    await expect(form.getByText("Saved.")).toBeVisible();
    await page.reload();
    await expect(
      page.getByRole("form", { name: "Alert thresholds of Friseur" }).getByLabel("Average latency above (ms)"),
    ).toHaveValue("1500");
    await page.goto(`${BASE}/audit`);
    await expect(
      page.locator("tr", { has: page.getByRole("cell", { name: "alerts.thresholds.update" }) }).first(),
    ).toContainText("admin@e2e.test");
  });
});
