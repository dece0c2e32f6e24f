import { randomBytes } from "node:crypto";
import { asRole, BASE, expect, test } from "./fixtures";

// Issue 16: destructive and outward actions say what they do, ask for a reason, and the reason lands in the audit log.
asRole("operator");

const FRISEUR_HERREN = 3757770;

test("cancelling a Cal.com booking from reconciliation asks first, names the effect, and audits the reason", async ({
  page,
}) => {
  const uid = `e2epush${randomBytes(6).toString("hex")}`;
  const start = new Date(Date.now() + 12 * 86_400_000);
  start.setUTCHours(Math.floor(Math.random() * 6) + 8, 0, 0, 0);
  const seeded = await page.request.post("/api/calcom-sandbox/_control/seed", {
    headers: { "x-sandbox-control": process.env.OPS_API_TOKEN ?? "" },
    data: {
      tenants: [],
      bookings: [
        {
          uid,
          eventTypeId: FRISEUR_HERREN,
          start: start.toISOString(),
          end: new Date(start.getTime() + 30 * 60_000).toISOString(),
          status: "accepted",
          attendee: { name: "Paul Push", email: "paul.push@example.com" },
        },
      ],
    },
  });
  expect(seeded.status()).toBe(201);

  await page.goto(`${BASE}/reconciliation?company=1`);
  await page.getByRole("button", { name: "Run reconciliation" }).click();
  const detail = page.locator("section", { has: page.getByRole("heading", { name: /Run #\d+ · Friseur/ }) });
  await expect(detail.getByText("completed")).toBeVisible({ timeout: 30_000 });
  const row = detail.getByRole("row").filter({ hasText: uid });
  // No "Push ours": the button says what happens, and nothing happens on the first click.
  await expect(row.getByRole("button", { name: /Push ours/ })).toHaveCount(0);
  await row.getByRole("button", { name: /^Cancel the booking at Cal\.com/ }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel the booking at Cal.com?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("This changes Cal.com");
  await dialog.getByRole("button", { name: "Keep as is" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toBeVisible();

  await row.getByRole("button", { name: /^Cancel the booking at Cal\.com/ }).click();
  await expect(dialog.getByRole("button", { name: "Cancel the booking at Cal.com" })).toBeVisible();
  await dialog.getByLabel("Reason").fill("test booking planted by e2e");
  await dialog.getByRole("button", { name: "Cancel the booking at Cal.com" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Cancel the booking at Cal.com done" })).toBeVisible();
  await expect(detail.getByRole("row").filter({ hasText: uid })).toHaveCount(0);

  await page.goto(`${BASE}/audit?action=reconcile`);
  await expect(
    page
      .getByRole("row")
      .filter({ hasText: "reconcile.fix" })
      .filter({ hasText: "test booking planted by e2e" })
      .first(),
  ).toBeVisible();
});
