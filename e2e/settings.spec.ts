import { asRole, BASE, expect, test } from "./fixtures";

asRole("admin");

test("a saved API key is never sent back to the browser, only its last 4 characters", async ({ page }) => {
  const key = `cal_live_e2e${Date.now()}secretXYZ9`;
  await page.goto(`${BASE}/settings`);
  const form = page.getByRole("form", { name: "Settings for Praxis am Markt" });
  await form.getByLabel("API key").fill(key);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();
  await expect(form.getByText("Stored key: ••••XYZ9")).toBeVisible();

  await page.reload();
  expect(await page.content()).not.toContain(key);
  const companies = await page.request.get("/api/admin/calcom/companies");
  const text = await companies.text();
  expect(text).toContain("••••XYZ9");
  expect(text).not.toContain(key);
  expect(text).not.toMatch(/whsec_[0-9a-f]{8}/);

  await page.goto(`${BASE}/audit`);
  await expect(page.getByRole("cell", { name: "company.settings.update" }).first()).toBeVisible();
  expect(await page.content()).not.toContain(key);
});

test("key format problems are explained inline", async ({ page }) => {
  await page.goto(`${BASE}/settings`);
  const form = page.getByRole("form", { name: "Settings for Friseur" });
  await form.getByLabel("API key").fill("Bearer cal_live_abc");
  await expect(form.getByText('Remove the "Bearer " prefix')).toBeVisible();
  await expect(form.getByRole("button", { name: "Save" })).toBeDisabled();
  await form.getByLabel("API key").fill("sk_123");
  await expect(form.getByText("Cal.com API keys start with cal_")).toBeVisible();
  await form.getByLabel("API key").fill("");
  await form.getByLabel("Cal.com API URL").fill("https://api.cal.com/staging/v2");
  await expect(form.getByText("points at Cal.com staging")).toBeVisible();
});

test("the server rejects a malformed key even without the form", async ({ page, baseURL }) => {
  const res = await page.request.patch("/api/admin/calcom/companies/2", {
    headers: { origin: baseURL! },
    data: { apiKey: "Bearer cal_live_x" },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.details.findings[0].level).toBe("error");
});
