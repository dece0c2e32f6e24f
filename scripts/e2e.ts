// npm run test:e2e – production build + Playwright in Chromium against a fresh PostgreSQL database of its own
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "../test/pg-admin";
import { ensureBuild } from "./ensure-build";
import { findChromium } from "./find-chromium";

const chromium = await findChromium();
if (!chromium) {
  console.error(
    "No Chromium found. Install Debian's package (apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium/Chrome binary.",
  );
  process.exit(1);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  return result.status ?? 1;
}

const databaseUrl = await createDatabase("calcomdiag_e2e");
// E2E_PORT and NEXT_DIST_DIR let two runs share one checkout (each with its own build and server).
const port = process.env.E2E_PORT ?? "3100";
const secret = () => randomBytes(18).toString("base64url");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: databaseUrl,
  // With DATABASE_URL the sandbox is off unless enabled; the e2e suite runs against it (its /_control takes OPS_API_TOKEN).
  CALCOM_SANDBOX_ENABLED: "true",
  CHROMIUM_PATH: chromium,
  PORT: port,
  APP_URL: `http://127.0.0.1:${port}`,
  APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  AUTH_SECRET: secret() + secret(),
  OPS_API_TOKEN: secret() + secret(),
  ADMIN_EMAIL: "admin@e2e.test",
  ADMIN_PASSWORD: secret(),
  E2E_OPERATOR_PASSWORD: secret(),
  E2E_VIEWER_PASSWORD: secret(),
};

let status = 1;
try {
  if (!process.env.E2E_SKIP_BUILD) {
    status = ensureBuild(env, { inherit: true }).status;
    if (status !== 0) throw new Error("next build failed");
  }
  status = run("node", ["--conditions=react-server", "--import", "tsx", "e2e/setup-data.ts"], env);
  if (status !== 0) throw new Error("seeding the e2e database failed");
  status = run("npx", ["playwright", "test", ...process.argv.slice(2)], env);
} catch (error) {
  console.error(String(error));
} finally {
  if (!process.env.KEEP_TEST_DB) await dropDatabase(databaseUrl);
}
process.exit(status);
