import { BASE, credentials, expect, signIn, test } from "./fixtures";

test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto(`${BASE}/settings`);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(credentials.admin.email);
  await page.getByLabel("Password").fill("definitely-not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toContainText("wrong");
  await expect(page).toHaveURL(/\/login/);
});

test("sign in, then sign out", async ({ page }) => {
  await signIn(page, "operator");
  await expect(page.getByTestId("current-user")).toContainText("operator");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(BASE);
  await expect(page).toHaveURL(/\/login/);
});

test("API routes answer 401 JSON without a session", async ({ request }) => {
  const res = await request.get("/api/admin/calcom/companies");
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe("UNAUTHENTICATED");
});

test("automation authenticates with the OPS_API_TOKEN bearer as an operator", async ({ request }) => {
  const headers = { authorization: `Bearer ${process.env.OPS_API_TOKEN}` };
  const ok = await request.get("/api/admin/calcom/companies", { headers });
  expect(ok.status()).toBe(200);
  const forbidden = await request.get("/api/admin/calcom/users", { headers });
  expect(forbidden.status()).toBe(403);
  const wrong = await request.get("/api/admin/calcom/companies", { headers: { authorization: "Bearer not-the-token-at-all-000000" } });
  expect(wrong.status()).toBe(401);
});
