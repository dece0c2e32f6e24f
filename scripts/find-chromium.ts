import { existsSync } from "node:fs";

/** Debian's Chromium is what CI uses; Playwright's own browser works too when someone installed it. */
export async function findChromium(): Promise<string | null> {
  const candidates = [
    process.env.CHROMIUM_PATH,
    process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright not installed: fall through to the hint.
  }
  return null;
}
