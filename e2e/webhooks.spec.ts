import { createHmac, randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { asRole, BASE, expect, storageStatePath, test } from "./fixtures";

asRole("operator");

const SECRET = `whsec_e2e_${randomBytes(12).toString("hex")}`;
type Company = { id: number; name: string; slug: string; webhookSecrets: { id: number; label: string }[] };
let company: Company;
let secretId: number;

// An admin adds a known secret (the seeded one is random), so the test can sign deliveries as Cal.com does.
test.beforeAll(async ({ browser, baseURL }) => {
  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  const headers = { origin: baseURL! };
  const list = (await (await admin.request.get("/api/admin/calcom/companies")).json()) as { companies: Company[] };
  company = list.companies[0]!;
  const added = await admin.request.post(`/api/admin/calcom/companies/${company.id}/webhook-secrets`, {
    headers,
    data: { label: "e2e-webhooks", secret: SECRET },
  });
  expect(added.ok()).toBe(true);
  secretId = ((await added.json()) as { id: number }).id;
  await admin.close();
});

test.afterAll(async ({ browser, baseURL }) => {
  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  await admin.request.patch(`/api/admin/calcom/companies/${company.id}/webhook-secrets/${secretId}`, {
    headers: { origin: baseURL! },
    data: { isActive: false },
  });
  await admin.close();
});

function booking(trigger: string, status: string) {
  const uid = `e2e-${randomBytes(6).toString("hex")}`;
  const body = JSON.stringify({
    triggerEvent: trigger,
    createdAt: new Date().toISOString(),
    payload: {
      uid,
      bookingId: 1,
      eventTypeId: 424242,
      startTime: "2050-01-10T09:00:00Z",
      endTime: "2050-01-10T09:30:00Z",
      status,
      attendees: [{ name: "E2E", email: "e2e@example.com", timeZone: "Europe/Berlin" }],
    },
  });
  return { uid, body };
}

async function deliver(request: APIRequestContext, body: string, signature: string) {
  return request.post(`/api/webhooks/calcom/${company.slug}`, {
    headers: { "content-type": "application/json", "x-cal-signature-256": signature, cookie: "" },
    data: body,
  });
}
const sign = (body: string) => createHmac("sha256", SECRET).update(body).digest("hex");

test("the log lists deliveries, filters, opens a detail and reprocesses a failed one", async ({ page, request }) => {
  const failing = booking("BOOKING_CREATED", "SOMETHING_NEW");
  const accepted = await deliver(request, failing.body, sign(failing.body));
  expect(accepted.status()).toBe(200);
  const tampered = booking("BOOKING_CANCELLED", "CANCELLED");
  expect((await deliver(request, tampered.body, sign(`${tampered.body} `))).status()).toBe(401);

  await page.goto(`${BASE}/webhooks`);
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  const table = page.getByRole("table", { name: "Webhook deliveries" });
  await expect(table.getByText(failing.uid)).toBeVisible();
  await expect(table.getByText(tampered.uid)).toBeVisible();
  // Rejections beyond the per-address limit are only counted; the panel says how many.
  await expect(page.getByRole("heading", { name: "Dropped rejected deliveries (24 h)" })).toBeVisible();
  await expect(page.getByText(/None were dropped|dropped in all/)).toBeVisible();

  // The rejected delivery explains itself.
  await page.getByLabel(/^Verdict/).selectOption("signature_mismatch");
  await expect(table.getByText(failing.uid)).toHaveCount(0);
  const rejectedRow = table.locator("tr", { hasText: tampered.uid });
  await rejectedRow.getByRole("button", { name: /Open delivery/ }).click();
  await expect(page.getByTestId("verdict-detail")).toContainText("Signature does not match");
  await page.getByRole("button", { name: "Close" }).click();

  // The failed one: filter by status and booking uid, open, reprocess.
  await page.getByLabel(/^Verdict/).selectOption("");
  await page.getByLabel(/^Status/).selectOption("failed");
  await page.getByLabel(/^Booking uid/).fill(failing.uid);
  const failedRow = table.locator("tr", { hasText: failing.uid });
  await expect(failedRow).toContainText("failed", { timeout: 20_000 });
  await failedRow.getByRole("button", { name: /Open delivery/ }).click();
  const detail = page.getByTestId("delivery-detail");
  await expect(detail).toContainText('Unknown Cal.com booking status "SOMETHING_NEW"');
  await expect(detail.getByRole("region", { name: "Payload" })).toContainText(failing.uid);
  await expect(detail.getByRole("region", { name: "Headers" })).not.toContainText(sign(failing.body));
  await page.getByRole("button", { name: "Reprocess", exact: true }).click();
  await expect(detail.getByRole("region", { name: "Processing attempts" }).getByRole("listitem")).toHaveCount(2, {
    timeout: 20_000,
  });
  await expect(detail).toContainText("after 2 attempts");

  await page.goto(`${BASE}/audit`);
  await expect(
    page.locator("tr", { has: page.getByRole("cell", { name: "webhooks.reprocess" }) }).first(),
  ).toContainText("operator@e2e.test");
});

test("an operator sends a signed test delivery and checks a signature", async ({ page }) => {
  await page.goto(`${BASE}/webhooks`);
  await page.getByLabel("Test company").selectOption(String(company.id));
  await page.getByRole("button", { name: "Send test delivery" }).click();
  await expect(page.getByText(/Delivered: 200 from/)).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Webhook deliveries" }).locator("tr", { hasText: "PING" }).first(),
  ).toContainText("processed", { timeout: 20_000 });
  await expect(page.getByRole("list", { name: "Webhook freshness per company" })).toContainText(company.name);

  const form = page.getByRole("form", { name: "Signature tester" });
  const payload = '{"triggerEvent":"PING"}';
  await form.getByLabel("Payload (raw body)").fill(`${payload}\n`);
  await form.getByLabel("Secret").fill("s3cret-value");
  await form
    .getByLabel("Signature header value")
    .fill(createHmac("sha256", "s3cret-value").update(payload).digest("hex"));
  await form.getByRole("button", { name: "Check signature" }).click();
  await expect(page.getByRole("status", { name: "Signature verdict" })).toContainText("match without trailing newline");
});
