import { asRole, BASE, expect, test } from "./fixtures";

asRole("operator");

test("check-only shows the diff against the sandbox; a service is reactivated from the review and audited", async ({
  page,
  baseURL,
}) => {
  // 1. Check only: the demo's Friseur services all match the team's event types; nothing changes.
  await page.goto(`${BASE}/sync-runs`);
  await expect(page.getByRole("heading", { level: 1, name: "Sync runs" })).toBeVisible();
  // The schedule may be running Friseur's first sync right now (a second run is a 409 by design): retry until ours starts.
  await expect(async () => {
    await page.getByRole("button", { name: "Check only for Friseur" }).click();
    await expect(page.getByText(/already running/)).toHaveCount(0, { timeout: 1_000 });
    await expect(page.getByTestId("run-summary")).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  const summary = page.getByTestId("run-summary");
  await expect(summary).toContainText(
    "Found 45 event types: 18 matched, 27 new, 0 missing, 0 orphaned, 0 would be deactivated",
  );
  await expect(summary).toContainText("Nothing was changed");
  const diff = page.getByRole("table", { name: /Diff of run/ });
  await expect(diff.getByRole("row", { name: /Herrenhaarschnitt/ }).first()).toContainText("matched");
  await expect(diff.getByRole("row", { name: /Typberatung/ })).toContainText("available for import");
  await expect(page.getByRole("table", { name: "Sync runs" })).toContainText("check only");

  // 2. A person deactivates a service (what the incident's sync did to all 18).
  const origin = new URL(baseURL!).origin;
  const companies = (await (await page.request.get("/api/admin/calcom/companies")).json()) as {
    companies: { id: number; name: string }[];
  };
  const friseur = companies.companies.find((c) => c.name === "Friseur")!;
  const list = (await (await page.request.get(`/api/admin/calcom/services?companyId=${friseur.id}`)).json()) as {
    services: { id: number; name: string }[];
  };
  const kopf = list.services.find((s) => s.name === "Kopfmassage")!;
  const off = await page.request.post(`/api/admin/calcom/services/${kopf.id}/deactivate`, {
    data: { reason: "e2e setup" },
    headers: { origin },
  });
  expect(off.status()).toBe(200);

  // 3. The review lists it as inactive; reactivate it there.
  await page.goto(`${BASE}/services-review`);
  await expect(page.getByRole("heading", { level: 1, name: "Services review" })).toBeVisible();
  const row = page.getByRole("row", { name: "Service Kopfmassage" });
  await expect(row).toContainText("inactive");
  await row.getByRole("button", { name: "Reactivate Kopfmassage" }).click();
  await expect(page.getByRole("row", { name: "Service Kopfmassage" })).toHaveCount(0);

  // 4. Both decisions are in the audit log under the operator's name.
  await page.goto(`${BASE}/audit`);
  const entry = page
    .locator("tr", { has: page.getByRole("cell", { name: "service.reactivate", exact: true }) })
    .first();
  await expect(entry).toContainText("operator@e2e.test");
  // Audit targets show names, not ids.
  await expect(entry).toContainText("service Kopfmassage");
  await expect(page.getByRole("cell", { name: "service.deactivate", exact: true }).first()).toBeVisible();
});

test("the emergency reactivation needs the company name typed", async ({ page }) => {
  await page.goto(`${BASE}/services-review`);
  await page.getByRole("button", { name: "Reactivate every service of Friseur…" }).click();
  const form = page.getByRole("form", { name: "Reactivate every service of Friseur" });
  await expect(form.getByRole("button", { name: "Confirm reactivation" })).toBeDisabled();
  await form.getByLabel('Type "Friseur" to confirm').fill("Friseur");
  await form.getByLabel("Reason").fill("e2e drill");
  await form.getByRole("button", { name: "Confirm reactivation" }).click();
  await expect(page.getByText(/^0 services reactivated; \d+ services? left the review queue\.$/)).toBeVisible();
  await page.goto(`${BASE}/audit`);
  await expect(
    page.locator("tr", { has: page.getByRole("cell", { name: "service.reactivate_all", exact: true }) }).first(),
  ).toContainText("e2e drill");
});

test("sync status answers in the seed's shape", async ({ request }) => {
  const res = await request.get("/api/calcom/sync-status");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({
    event_types_count: expect.any(Number),
    pending_webhooks: expect.any(Number),
    sync_errors: expect.any(Array),
  });
  expect(body.companies.map((c: { company_name: string }) => c.company_name)).toContain("Friseur");
});
