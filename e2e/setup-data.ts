// Seeds the e2e database before the server starts: demo tenants plus one user per role.
import { closeDb, getDb } from "@/lib/db/client";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";
import { createUser } from "@/lib/users/users";

const actor = { kind: "system", label: "e2e-setup", role: "admin" } as const;
const db = await getDb();
await seedDemoWithSandbox(db, { actor });
await createUser(db, { input: { email: "operator@e2e.test", role: "operator", password: process.env.E2E_OPERATOR_PASSWORD! }, actor });
await createUser(db, { input: { email: "viewer@e2e.test", role: "viewer", password: process.env.E2E_VIEWER_PASSWORD! }, actor });
await closeDb();
