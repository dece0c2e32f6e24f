import type { Locator, Page } from "@playwright/test";
import { asRole, BASE, expect, test } from "./fixtures";

// A tour of every panel on the demo week (e2e/setup-data.ts replays it): each panel must show the week's data, not
// only load. Locators are roles and domain data (companies, services, CAL codes, verdicts), not layout.
asRole("admin");

async function open(page: Page, path: string, heading: string | RegExp) {
  await page.goto(`${BASE}${path}`);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

/** Data rows of a table (the header row excluded), at least `n` of them. */
async function expectRows(table: Locator, n: number) {
  await expect(table).toBeVisible();
  await expect
    .poll(async () => await table.locator("tbody tr").count(), {
      message: `rows of ${await table.getAttribute("aria-label")}`,
    })
    .toBeGreaterThanOrEqual(n);
}

/** A time chart has marks (dots or non-empty bars) from the left edge to the right edge of its plot: data across the window. */
async function expectSpansWindow(figure: Locator, marks: string, minMarks: number) {
  await expect(figure.locator(marks).first()).toBeVisible();
  const boxes = (
    await figure
      .locator(marks)
      .evaluateAll((els) =>
        els
          .map((e) => e.getBoundingClientRect())
          .map((r) => ({ left: r.left, right: r.right, width: r.width, height: r.height })),
      )
  ).filter((b) => b.width > 0 && b.height > 0);
  expect(boxes.length, `${marks} in ${await figure.getAttribute("aria-label")}`).toBeGreaterThanOrEqual(minMarks);
  const plot = await figure.locator(".recharts-cartesian-grid").boundingBox();
  expect(plot).not.toBeNull();
  // The week's first day sits in the left fifth of the plot, today in the right fifth.
  expect(Math.min(...boxes.map((b) => b.left)) - plot!.x).toBeLessThan(plot!.width * 0.2);
  expect(plot!.x + plot!.width - Math.max(...boxes.map((b) => b.right))).toBeLessThan(plot!.width * 0.2);
}

test("overview: a tile per demo company and the week's open alert", async ({ page }) => {
  await open(page, "", /overview|diagnostics/i);
  await expect(page.getByRole("list", { name: "Health of Friseur" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Health of Praxis am Markt" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Health of Friseur" })).toContainText(/manual/i);
  await expect(page.getByText("Bookings waiting for manual booking").first()).toBeVisible();
});

test("circuit: the outage's trip and its recovery are in Friseur's history", async ({ page }) => {
  await open(page, "/circuit", /circuit/i);
  const history = page.getByRole("list", { name: "Circuit history of Friseur" });
  await expect(history).toContainText("consecutive failures");
  await expect(history).toContainText("CAL-012");
  await expect(history).toContainText(/trial call (succeeded|answered)/);
});

test("sync runs: a week of runs, among them the aborted empty list", async ({ page }) => {
  await open(page, "/sync-runs", /sync/i);
  const runs = page.getByRole("table", { name: "Sync runs" });
  await expectRows(runs, 8);
  await expect(runs).toContainText("aborted");
  await expect(runs).toContainText("succeeded");
});

test("services review: the service whose event type was hidden in Cal.com waits for a person", async ({ page }) => {
  await open(page, "/services-review", /review/i);
  const queue = page.getByRole("table", { name: "Services to review" });
  await expectRows(queue, 1);
  await expect(queue).toContainText("Impfung");
  await expect(queue).toContainText("Praxis am Markt");
});

test("webhooks: verified deliveries, the rotation's previous secret and rejected ones", async ({ page }) => {
  await open(page, "/webhooks", /webhook/i);
  const log = page.getByRole("table", { name: "Webhook deliveries" });
  await expectRows(log, 10);
  await expect(log).toContainText("BOOKING_CREATED");
  const filters = page.getByRole("search", { name: "Webhook filters" });
  for (const verdict of [
    "verified previous secret",
    "signature mismatch",
    "missing signature",
    "unsupported content type",
  ]) {
    await filters.getByLabel("Verdict").selectOption({ label: verdict });
    await expect(log.locator("tbody tr").first()).toContainText(verdict);
  }
});

test("bookings: the outage's conflict waits in the manual queue; staff were notified", async ({ page }) => {
  await open(page, "/bookings", /booking/i);
  await expectRows(page.getByRole("table", { name: "Manual bookings" }), 1);
  await expect(page.getByRole("table", { name: "Manual bookings" })).toContainText(/conflict/i);
  await expectRows(page.getByRole("table", { name: "Outbox" }), 1);
});

test("slot debugger: what callers were offered, recorded as phone queries", async ({ page }) => {
  await open(page, "/slot-debugger", /slot/i);
  const recent = page.getByRole("table", { name: "Recent slot queries" });
  await expectRows(recent, 5);
  await expect(recent).toContainText("phone");
});

test("reconciliation: the nightly run found the drift made in Cal.com", async ({ page }) => {
  await open(page, "/reconciliation", /reconcil/i);
  const runs = page.getByRole("table", { name: "Reconciliation runs" });
  await expectRows(runs, 1);
  await expect(runs).toContainText("Friseur");
  await runs
    .getByRole("button", { name: /Show run/ })
    .last()
    .click();
  await expectRows(page.getByRole("table", { name: "Reconciliation items" }), 1);
  await expect(page.getByRole("table", { name: "Reconciliation items" })).toContainText(/status|time|missing/i);
});

test("metrics: every 7-day chart has data from the week's first day to today", async ({ page }) => {
  await open(page, "/metrics", /metrics/i);
  await page.getByRole("group", { name: "Window" }).getByRole("button", { name: "7 d" }).click();
  await expect
    .poll(async () => Number((await page.getByTestId("stat-Calls").innerText()).replace(/\D/g, "")))
    .toBeGreaterThan(50);
  await expectSpansWindow(page.getByRole("figure", { name: "API success rate" }), ".recharts-line-dot", 7);
  await expectSpansWindow(page.getByRole("figure", { name: "Latency p50 / p95" }), ".recharts-line-dot", 7);
  await expectSpansWindow(page.getByRole("figure", { name: "Sync runs and failures" }), ".recharts-bar-rectangle", 7);
  await expectSpansWindow(
    page.getByRole("figure", { name: "Webhook volume and failures" }),
    ".recharts-bar-rectangle",
    7,
  );
  await expect(
    page.getByRole("figure", { name: "Circuit trips" }).locator(".recharts-bar-rectangle").first(),
  ).toBeVisible();
  await expect(page.getByRole("figure", { name: "Calls per endpoint family" })).toContainText("slots");
  await expect(page.getByRole("figure", { name: "Calls per endpoint family" })).toContainText("bookings");
});

test("raw API, audit, sandbox and settings show the week's companies and actions", async ({ page }) => {
  await open(page, "/raw-api", /raw api/i);
  await expect(page.getByRole("form", { name: "Raw API request" }).getByLabel("Company to call")).toContainText(
    "Friseur",
  );

  // Filtered: the tests before this one add their own entries to the first page.
  await open(page, "/audit?action=webhook-secret", /audit/i);
  await expect(page.getByRole("table").first()).toContainText("company.webhook-secret.add");

  await open(page, "/sandbox", /sandbox/i);
  await expect(page.getByRole("row").filter({ hasText: "bookings" }).first()).toContainText(/[1-9]/);

  await open(page, "/settings", /settings/i);
  await expect(page.getByText(/rotation \d{4}-\d{2}-\d{2}/).first()).toBeVisible();
});
