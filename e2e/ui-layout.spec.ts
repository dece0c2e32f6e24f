import { asRole, BASE, expect, pageWidths, test } from "./fixtures";
import { NAV_ITEMS } from "@/app/admin/calcom-diagnostics/nav-items";

// Issue 16, layout: every panel fits the window (1440 px and 1024 px projects) without scrolling sideways, and
// table headings stay readable.
asRole("admin");

for (const item of NAV_ITEMS) {
  test(`${item.label} fits the window`, async ({ page }) => {
    await page.goto(`${BASE}${item.href}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Let the panel's first data arrive (tables, charts) before measuring.
    await page.waitForLoadState("networkidle");
    const { scrollWidth, clientWidth } = await pageWidths(page);
    expect(scrollWidth, `${item.label} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
  });
}

test("table headings are spaced apart, not run together", async ({ page }) => {
  await page.goto(`${BASE}/audit`);
  const headers = page.getByRole("table", { name: "Audit log" }).getByRole("columnheader");
  await expect(headers.first()).toBeVisible();
  const boxes = await headers.evaluateAll((ths) =>
    ths.filter((th) => (th as HTMLElement).offsetParent).map((th) => th.getBoundingClientRect()),
  );
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right);
  const padding = await headers
    .first()
    .evaluate((th) => parseFloat(getComputedStyle(th).paddingLeft) + parseFloat(getComputedStyle(th).paddingRight));
  expect(padding).toBeGreaterThanOrEqual(16);
});

test("a sync run's detail opens above the list, in view", async ({ page }) => {
  await page.goto(`${BASE}/sync-runs`);
  const runs = page.getByRole("table", { name: "Sync runs" });
  await expect(runs.getByRole("button", { name: /Show run/ }).first()).toBeVisible({ timeout: 30_000 });
  await runs
    .getByRole("button", { name: /Show run/ })
    .first()
    .click();
  const detail = page.getByTestId("run-summary");
  await expect(detail).toBeInViewport();
  const [detailBox, tableBox] = [await detail.boundingBox(), await runs.boundingBox()];
  expect(detailBox!.y).toBeLessThan(tableBox!.y);
});
