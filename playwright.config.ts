import { defineConfig, devices } from "@playwright/test";

// Run through `npm run test:e2e`, which builds, creates a fresh database and sets the environment used here.
const port = Number(process.env.PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: `test-results-${port}`,
  use: {
    ...devices["Desktop Chrome"],
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // The operator-facing specs (ui-*.spec.ts) run twice: a wide window in Berlin and the smallest laptop in New York,
  // so a time shown in the browser's zone instead of the company's, or a table that does not fit, fails.
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", dependencies: ["setup"], testIgnore: [/auth\.setup\.ts/, /ui-.*\.spec\.ts/] },
    {
      name: "ui-1440-berlin",
      dependencies: ["setup"],
      testMatch: /ui-.*\.spec\.ts/,
      use: { viewport: { width: 1440, height: 900 }, timezoneId: "Europe/Berlin" },
    },
    {
      name: "ui-1024-new-york",
      dependencies: ["setup"],
      testMatch: /ui-.*\.spec\.ts/,
      use: { viewport: { width: 1024, height: 768 }, timezoneId: "America/New_York" },
    },
  ],
  webServer: {
    command: `npx next start -p ${port} -H 127.0.0.1`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
  },
});
