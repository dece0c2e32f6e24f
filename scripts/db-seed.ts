// npm run db:seed – add the demo tenants (idempotent); safe while the server runs (it goes through the server's socket)
import { closeDb, getDbHandle } from "@/lib/db/client";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";

const handle = await getDbHandle("tool");
const result = await seedDemoWithSandbox(handle.db, { actor: { kind: "system", label: "db:seed", role: "admin" } });
console.log(`created: ${result.created.join(", ") || "nothing"}; already present: ${result.skipped.join(", ") || "nothing"}`);
await closeDb();
