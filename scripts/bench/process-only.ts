// Processing alone, in this process: seed a backlog and drain it with the batch worker (profiling aid).
//   node --conditions=react-server --import tsx scripts/bench/process-only.ts [count]
import postgres from "postgres";
import { dropDatabase } from "../../test/pg-admin";
import { pendingCount, seedBacklog, seedCompany, openScratchDatabase } from "./servers";

const count = Number(process.argv[2] ?? 3000);
const databaseUrl = await openScratchDatabase("bench_process");
const { getDb, closeDb } = await import("@/lib/db/client");
const { drainWebhookQueue } = await import("@/lib/webhooks/worker");
await getDb(); // migrates
const { drizzle } = await import("drizzle-orm/postgres-js");
const queries = new Map<string, number>();
const counted = postgres(databaseUrl, {
  max: 10,
  onnotice: () => {},
  debug: (_c, q) => queries.set(q.slice(0, 90), (queries.get(q.slice(0, 90)) ?? 0) + 1),
});
const db = drizzle({ client: counted, casing: "snake_case" }) as unknown as import("@/lib/db/types").Db;
const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
try {
  const co = await seedCompany(sql);
  await seedBacklog(sql, co, count);
  const started = performance.now();
  const loops = Number(process.env.CONC ?? 3);
  const n = (
    await Promise.all(
      Array.from({ length: loops }, (_, i) =>
        drainWebhookQueue(db, { budgetMs: 600_000, batchSize: Number(process.env.BATCH ?? 50), workerId: `p${i}` }),
      ),
    )
  ).reduce((a, b) => a + b, 0);
  const ms = performance.now() - started;
  console.log(
    `processed ${n} in ${Math.round(ms)} ms: ${Math.round((n / ms) * 1000)}/s; pending left ${await pendingCount(sql)}`,
  );
  for (const [q, c] of [...queries].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(String(c).padStart(6), q.replace(/\s+/g, " "));
  console.log(
    "total queries",
    [...queries.values()].reduce((a, b) => a + b, 0),
  );
  const [statuses] = await Promise.all([sql`select status, count(*)::int from webhook_deliveries group by 1`]);
  console.log(statuses);
} finally {
  await sql.end();
  await closeDb();
  await dropDatabase(databaseUrl);
}
