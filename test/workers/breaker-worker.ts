// Child process for cross-process tests: races N permits (or rate-limit tokens) against the shared database.
import { acquirePermit } from "@/lib/calcom/breaker";
import { reserveToken } from "@/lib/calcom/rate-limiter";
import { closeDb, getDb } from "@/lib/db/client";

const [mode, companyOrKey, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 10);
const db = await getDb();
let admitted = 0;
await Promise.all(
  Array.from({ length: count }, async () => {
    if (mode === "permit") {
      try {
        const permit = await acquirePermit(db, Number(companyOrKey));
        if (permit.isTrial) admitted++;
      } catch {
        // refused while the trials are taken
      }
    } else {
      const r = await reserveToken(db, companyOrKey!, { perMinute: 1, burst: 10, maxWaitMs: 0 });
      if (!("rejected" in r)) admitted++;
    }
  }),
);
console.log(JSON.stringify({ admitted }));
await closeDb();
