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
  const wrong = await request.get("/api/admin/calcom/companies", {
    headers: { authorization: "Bearer not-the-token-at-all-000000" },
  });
  expect(wrong.status()).toBe(401);
});

test("after 10 failures the login page says to wait, even for the right password", async ({ page }) => {
  // An email of its own (unknown emails are throttled like known ones), so other tests' accounts stay usable.
  const email = `locked-${Date.now()}@e2e.test`;
  await page.goto("/login");
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toContainText("wrong");
  }
  await page.getByLabel("Password").fill("anything-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Too many attempts; try again in 15 minutes");
});

test("next-auth's own pages render under the CSP (the console guard fails the test otherwise)", async ({ page }) => {
  await page.goto("/api/auth/signout");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto("/api/auth/error?error=Verification");
  await expect(page.getByRole("heading")).toBeVisible();
});
