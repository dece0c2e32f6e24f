import { test as base, expect, type Page } from "@playwright/test";

export type Role = "admin" | "operator" | "viewer";

export const credentials: Record<Role, { email: string; password: string }> = {
  admin: { email: process.env.ADMIN_EMAIL ?? "admin@e2e.test", password: process.env.ADMIN_PASSWORD ?? "" },
  operator: { email: "operator@e2e.test", password: process.env.E2E_OPERATOR_PASSWORD ?? "" },
  viewer: { email: "viewer@e2e.test", password: process.env.E2E_VIEWER_PASSWORD ?? "" },
};

export const storageStatePath = (role: Role) => `e2e/.auth/${process.env.PORT ?? "3100"}-${role}.json`;

export const BASE = "/admin/calcom-diagnostics";

export async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(credentials[role].email);
  await page.getByLabel("Password").fill(credentials[role].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(credentials[role].email);
}

/** Width at and below which no panel may scroll sideways (the smallest laptop the operators use). */
export const NARROW_WIDTH = 1024;

/** scrollWidth and clientWidth of the page: a panel that overflows makes the whole page scroll sideways. */
export async function pageWidths(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
}

/**
 * Every test that ends on a panel in a narrow window also checks that the panel fits: the page must not scroll
 * sideways at 1024 px, whatever the test did on it.
 */
/**
 * Every test fails on a Content Security Policy violation: the browser reports each blocked script, style, frame or
 * connection in the console, so a panel that needs something the CSP (proxy.ts) forbids is caught here.
 */
export const test = base.extend<{ fitsNarrowWindow: void; cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      const check = (text: string) => {
        if (/Content Security Policy|Content-Security-Policy/i.test(text)) violations.push(text);
      };
      context.on("console", (msg) => check(msg.text()));
      context.on("weberror", (error) => check(error.error().message));
      await use(violations);
      expect(violations, "Content Security Policy violations in the browser console").toEqual([]);
    },
    { auto: true },
  ],
  fitsNarrowWindow: [
    async ({ page }, use, testInfo) => {
      await use();
      const width = page.viewportSize()?.width ?? Infinity;
      const isPanel = !page.isClosed() && page.url().includes(BASE);
      if (width > NARROW_WIDTH || !isPanel || testInfo.status !== testInfo.expectedStatus) return;
      const widths = await pageWidths(page);
      expect(widths.scrollWidth, `horizontal overflow at ${width} px on ${page.url()}`).toBeLessThanOrEqual(
        widths.clientWidth,
      );
    },
    { auto: true },
  ],
});

/** Use the signed-in browser state of one role (made once by auth.setup.ts). */
export function asRole(role: Role) {
  test.use({ storageState: storageStatePath(role) });
}

export { expect };
