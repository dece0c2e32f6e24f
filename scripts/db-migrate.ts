// npm run db:migrate – apply committed migrations (also done at every server start)
import { closeDb, getDbHandle } from "@/lib/db/client";

const handle = await getDbHandle("tool");
console.log(
  handle.kind === "pglite-via-server"
    ? "The running server owns the embedded database and applied migrations when it started."
    : `Migrations applied (${handle.kind === "postgres" ? "DATABASE_URL" : "embedded PGlite"}).`,
);
await closeDb();
