import { randomBytes } from "node:crypto";
import { asRole, BASE, expect, storageStatePath, test } from "./fixtures";

asRole("operator");

const FRISEUR_HERREN = 3757770;

test("a booking planted only in Cal.com is found by a reconciliation run and adopted from the browser, audited", async ({
  page,
}) => {
  // Plant an orphaned booking in the sandbox (Cal.com has it, no local appointment), ten days ahead at 07:00 UTC.
  const uid = `e2eorphan${randomBytes(6).toString("hex")}`;
  const start = new Date(Date.now() + 10 * 86_400_000);
  start.setUTCHours(7, 0, 0, 0);
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
          attendee: { name: "Erika Orphan", email: "erika.orphan@example.com" },
        },
      ],
    },
  });
  expect(seeded.status()).toBe(201);

  await page.goto(`${BASE}/reconciliation`);
  await expect(page.getByRole("heading", { level: 1, name: "Reconciliation" })).toBeVisible();
  await page.getByLabel("Company").first().selectOption({ label: "Friseur" });
  await expect(page).toHaveURL(/company=\d+/);
  await page.getByRole("button", { name: "Run reconciliation" }).click();

  const detail = page.locator("section", { has: page.getByRole("heading", { name: /Run #\d+ · Friseur/ }) });
  await expect(detail.getByText("completed")).toBeVisible({ timeout: 30_000 });
  const row = detail.getByRole("row").filter({ hasText: uid });
  await expect(row).toContainText("Cal.com booking, no appointment");
  await row.getByRole("button", { name: /^Create the appointment/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Create the appointment done" })).toBeVisible();
  // Open items only: the fixed one leaves the list; it shows under "Fixed" with who fixed it.
  await expect(detail.getByRole("row").filter({ hasText: uid })).toHaveCount(0);
  await detail.getByLabel("Item status").selectOption("fixed");
  await expect(detail.getByRole("row").filter({ hasText: uid })).toContainText(
    "Create the appointment by operator@e2e.test",
  );

  // The appointment exists now, linked by uid; the fix is in the audit log.
  const appts = await page.request.get(`/api/admin/calcom/appointments?bookingUid=${uid}`);
  expect((await appts.json()).items).toEqual([
    expect.objectContaining({ calcomBookingUid: uid, status: "confirmed", attendeeEmail: "erika.orphan@example.com" }),
  ]);
  await page.goto(`${BASE}/audit`);
  await expect(page.locator("tr", { has: page.getByRole("cell", { name: "reconcile.fix" }) }).first()).toContainText(
    "operator@e2e.test",
  );
});

test("a viewer sees runs but cannot start one or fix items", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStatePath("viewer") });
  const page = await context.newPage();
  await page.goto(`${BASE}/reconciliation`);
  await expect(page.getByRole("heading", { level: 1, name: "Reconciliation" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Run reconciliation" })).toHaveCount(0);
  const refused = await page.request.post("/api/admin/calcom/reconcile", {
    data: { from: new Date().toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(refused.status()).toBe(403);
  await context.close();
});
