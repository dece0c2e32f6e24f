// Seeds the e2e database before the server starts: demo tenants, their demo week, and one user per role.
import { closeDb, getDb } from "@/lib/db/client";
import { generateDemoHistory } from "@/lib/demo/history/run";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";
import { createUser } from "@/lib/users/users";

const actor = { kind: "system", label: "e2e-setup", role: "admin" } as const;
const db = await getDb();
await seedDemoWithSandbox(db, { actor });
// The demo week (lib/demo/history) through the real code paths, as a first start shows it; the tour checks every panel.
const history = await generateDemoHistory(db, { log: (line) => console.log(`[e2e setup] ${line}`) });
if (history.errors > 0) throw new Error(`the demo history had ${history.errors} failed steps`);
await createUser(db, {
  input: { email: "operator@e2e.test", role: "operator", password: process.env.E2E_OPERATOR_PASSWORD! },
  actor,
});
await createUser(db, {
  input: { email: "viewer@e2e.test", role: "viewer", password: process.env.E2E_VIEWER_PASSWORD! },
  actor,
});
await closeDb();
