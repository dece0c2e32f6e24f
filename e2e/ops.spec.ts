import { asRole, BASE, expect, test } from "./fixtures";

// The overview's expected-webhook card and Settings' notification channels.
asRole("admin");

test("the watchdog card checks the Cal.com webhook subscription of a company", async ({ page }) => {
  await page.goto(BASE);
  const card = page.getByRole("region", { name: "Expected webhooks of Friseur" });
  await expect(card).toContainText("met");
  await card.getByRole("button", { name: "Check subscription" }).click();
  await expect(card.getByText("matches")).toBeVisible();
  await expect(card).toContainText("checked");
});

test("Settings shows each notification channel and sends a test through it", async ({ page }) => {
  await page.goto(`${BASE}/settings`);
  const email = page.getByRole("region", { name: "Channel email" });
  await expect(email).toContainText("Delivery: server log (set SMTP_URL to send email)");
  await email.getByRole("textbox", { name: "Test email recipient" }).fill("e2e.channel@example.com");
  await email.getByRole("button", { name: "Send test" }).click();
  await expect(email.getByText("Sent 1")).toBeVisible();
  await expect(email.getByRole("cell", { name: "e2e.channel@example.com" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Channel webhook" })).toContainText("Delivery: JSON POST");
});
