import { asRole, BASE, expect, test } from "./fixtures";

test.describe("viewer", () => {
  asRole("viewer");

  test("reads panels, and Settings read only with secrets masked", async ({ page }) => {
    await page.goto(`${BASE}/audit`);
    await expect(page.getByRole("heading", { name: "Audit" })).toBeVisible();
    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await expect(page.getByText("Read only: you are signed in as viewer")).toBeVisible();
    const form = page.getByRole("form", { name: "Settings for Friseur" });
    await expect(form.getByLabel("Name")).toBeDisabled();
    await expect(form.getByRole("button", { name: "Save" })).toHaveCount(0);
    await expect(page.getByRole("form", { name: /Add webhook secret/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText(/cal_(test|live)_[A-Za-z0-9]{8}|whsec_/);
    await page.goto(`${BASE}/settings/users`);
    await expect(page.getByText("You do not have access to this page")).toBeVisible();
  });

  test("the server refuses admin and operator actions, not only the UI", async ({ page, baseURL }) => {
    const origin = { origin: baseURL! };
    const createUser = await page.request.post("/api/admin/calcom/users", {
      headers: origin,
      data: { email: "sneaky@e2e.test", role: "admin", password: "long-enough-password" },
    });
    expect(createUser.status()).toBe(403);
    const settings = await page.request.patch("/api/admin/calcom/companies/1", {
      headers: origin,
      data: { name: "Hacked" },
    });
    expect(settings.status()).toBe(403);
  });
});

test.describe("operator", () => {
  asRole("operator");

  test("cannot manage users or settings", async ({ page, baseURL }) => {
    const res = await page.request.get("/api/admin/calcom/users");
    expect(res.status()).toBe(403);
    const patch = await page.request.patch("/api/admin/calcom/companies/1", {
      headers: { origin: baseURL! },
      data: { name: "x" },
    });
    expect(patch.status()).toBe(403);
  });
});

test.describe("admin", () => {
  asRole("admin");

  test("a cross-site request is refused even with a valid session", async ({ page }) => {
    const res = await page.request.post("/api/admin/calcom/users", {
      headers: { origin: "https://evil.example" },
      data: { email: "csrf@e2e.test", role: "admin", password: "long-enough-password" },
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.message).toContain("Cross-site");
  });

  test("creates a user and changes its role; both land in the audit log", async ({ page }) => {
    const email = `new-${Date.now()}@e2e.test`;
    await page.goto(`${BASE}/settings/users`);
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByLabel("Password").fill("a-long-enough-password");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByRole("cell", { name: email, exact: true })).toBeVisible();
    await page.getByLabel(`Role of ${email}`).selectOption("operator");
    await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("operator");
    await page.goto(`${BASE}/audit`);
    await expect(page.getByRole("cell", { name: "user.update" }).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: "user.create" }).first()).toBeVisible();
  });
});
