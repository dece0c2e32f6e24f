import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

// The embedded database runs the same receiver and queue SQL (FOR UPDATE SKIP LOCKED, the prepared INSERT, the
// version triggers); a child process owns a fresh PGlite folder.
describe("webhooks on PGlite", () => {
  it("stores, answers and processes deliveries through the queue worker", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "webhook-pglite-"));
    try {
      const env = {
        ...process.env,
        DATABASE_URL: "",
        PGLITE_DIR: path.join(dir, "pglite"),
        APP_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
        AUTH_SECRET: "pglite-test-auth-secret-0123456789abcdef",
      };
      const { stdout } = await run(
        "node",
        ["--conditions=react-server", "--import", "tsx", "test/workers/webhook-pglite.ts"],
        { env, cwd: process.cwd(), timeout: 90_000 },
      );
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { statuses: number[]; processed: number };
      expect(result).toEqual({ statuses: [...Array(12).fill(200), 401], processed: 12 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
