import { asRole, BASE, expect, test } from "./fixtures";

// Issue 16: settings through forms with the allowed ranges (no prompt()), errors that name the field.
asRole("admin");

test("the webhook receiver's threshold is set in a form and confirmed in words", async ({ page }) => {
  let prompted = false;
  page.on("dialog", (d) => {
    prompted = true;
    void d.dismiss();
  });
  await page.goto(`${BASE}/webhooks?company=1`);
  await page.getByRole("button", { name: "Receiver settings of Friseur" }).click();
  const form = page.getByRole("form", { name: "Receiver settings of Friseur" });
  await expect(form.getByLabel("Silence threshold (minutes)")).toHaveAttribute("min", "5");
  await form.getByLabel("Silence threshold (minutes)").fill("90");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(
    page.getByTestId("toast").filter({ hasText: "Friseur: warn after 1 h 30 min without a verified delivery" }),
  ).toBeVisible();
  expect(prompted).toBe(false);
  // Back to the default of one day.
  await page.getByRole("button", { name: "Receiver settings of Friseur" }).click();
  await form.getByLabel("Silence threshold (minutes)").fill("1440");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "warn after 1 day without" })).toBeVisible();
});

test("an invalid setting is refused with the field and the rule named", async ({ page, baseURL }) => {
  const res = await page.request.put("/api/admin/calcom/webhooks/settings", {
    headers: { origin: baseURL! },
    data: { companyId: 1, silenceThresholdMinutes: 2 },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toBe("silenceThresholdMinutes: Too small: expected number to be >=5");
});

test("the services review filters by part of a name, in any case, and keeps it in the URL", async ({ page }) => {
  await page.goto(`${BASE}/services-review?service=HERREN`);
  await expect(page.getByLabel("Service name contains")).toHaveValue("HERREN");
  await page.getByLabel("Service name contains").fill("kopf");
  await expect(page).toHaveURL(/service=kopf/);
  await page.reload();
  await expect(page.getByLabel("Service name contains")).toHaveValue("kopf");
});

test("an admin resets a password in a form, not a prompt", async ({ page }, testInfo) => {
  let prompted = false;
  page.on("dialog", (d) => {
    prompted = true;
    void d.dismiss();
  });
  const email = `reset-${testInfo.project.name}-${Date.now()}@e2e.test`;
  await page.goto(`${BASE}/settings/users`);
  const add = page.getByRole("form", { name: "Add a user" });
  await add.getByLabel("Email").fill(email);
  await add.getByLabel("Password").fill("first-password-long");
  await add.getByRole("button", { name: "Create user" }).click();
  await page.getByRole("button", { name: `Reset password of ${email}` }).click();
  const form = page.getByRole("form", { name: `New password for ${email}` });
  await expect(form.getByLabel("New password")).toHaveAttribute("minlength", "12");
  await form.getByLabel("New password").fill("second-password-long");
  await form.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `New password set for ${email}.` })).toBeVisible();
  expect(prompted).toBe(false);
});
