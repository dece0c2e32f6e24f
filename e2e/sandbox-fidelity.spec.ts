import { asRole, BASE, expect, test } from "./fixtures";

asRole("operator");

// The sandbox's Cal.com fidelity switches (docs/calcom-fidelity.md); other specs expect the defaults back.
test.afterEach(async ({ page }) => {
  await page.request.put("/api/admin/calcom/sandbox/fidelity", {
    data: { preset: "defaults" },
    headers: { origin: new URL(page.url() || "http://127.0.0.1").origin },
  });
});

test("an operator switches the sandbox to its real-Cal.com settings and back", async ({ page }) => {
  await page.goto(`${BASE}/sandbox`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Cal.com fidelity" }) });
  const beforeAnswer = card.getByRole("checkbox", { name: "Send the webhook before the API answer (§8.2)" });
  const adminApi = card.getByRole("checkbox", { name: "Organization routes have the admin API (§8.7)" });
  await expect(beforeAnswer).not.toBeChecked();
  await expect(adminApi).toBeChecked();

  await card.getByRole("button", { name: "Real Cal.com settings" }).click();
  await expect(beforeAnswer).toBeChecked();
  await expect(adminApi).not.toBeChecked();
  await expect(card.getByRole("checkbox", { name: "Send MEETING_STARTED/ENDED unsigned (§8.5)" })).toBeChecked();

  await adminApi.click();
  await expect(adminApi).toBeChecked();
  await card.getByRole("button", { name: "Defaults" }).click();
  await expect(beforeAnswer).not.toBeChecked();
});
