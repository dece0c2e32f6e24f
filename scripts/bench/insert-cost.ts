// What one delivery INSERT costs PostgreSQL (CPU of the backend, from /proc, and wall time), for the table as migrated
// and for variants of it, each in a copy of one migrated scratch database; every statement commits on its own, like
// the receiver's. A profiling aid for issue 14 (docs/performance.md), not part of `npm run bench`:
//   node --conditions=react-server --import tsx scripts/bench/insert-cost.ts
//   (ROWS_A_STATEMENT=1,4 ROWS=3000 REPS=3; the rows a statement is not called GROUPS: bash keeps that name)
import postgres from "postgres";
import { adminUrl, dropDatabase } from "../../test/pg-admin";
import { median, processCpuMs } from "./harness";
import { openScratchDatabase, seedBacklog, seedCompany } from "./servers";

/** Statements applied to a copy before it is measured. */
const VARIANTS: Record<string, string[]> = {
  "as migrated": [],
  // 0022's form: one plpgsql call per statement, with the new rows copied into a transition table (named old_rows:
  // since 0023 the function handles only UPDATE and DELETE, and its statements are the ones 0022 ran on INSERT).
  "statement-level trigger (0022)": [
    "drop trigger webhook_deliveries_rollup_insert on webhook_deliveries",
    `create trigger webhook_deliveries_rollup_insert after insert on webhook_deliveries referencing new table as old_rows
       for each statement execute function webhook_deliveries_rollup_trigger()`,
  ],
  "no rollup trigger": ["drop trigger webhook_deliveries_rollup_insert on webhook_deliveries"],
  "no foreign keys": [
    "alter table webhook_deliveries drop constraint webhook_deliveries_company_id_companies_id_fk",
    "alter table webhook_deliveries drop constraint webhook_deliveries_matched_secret_id_company_webhook_secrets_id",
  ],
  "floor: a two-column table": [
    "create table floor_rows (id bigint generated always as identity primary key, body text)",
  ],
};

const groups = (process.env.ROWS_A_STATEMENT ?? "1,4").split(",").map(Number);
const rowCount = Number(process.env.ROWS ?? 3000);
const reps = Number(process.env.REPS ?? 3);

const sourceUrl = await openScratchDatabase("bench_insert_cost");
const { getDb, closeDb } = await import("@/lib/db/client");
await getDb(); // migrates
await closeDb();
const source = postgres(sourceUrl, { max: 1, onnotice: () => {} });
await seedBacklog(source, await seedCompany(source), 1);
// The seeded delivery as the receiver stores it, without its id (an identity column).
const [template] = await source<{ j: Record<string, unknown> }[]>`
  select to_jsonb(d) - 'id' as j from webhook_deliveries d limit 1`;
await source.end();
const columns = Object.keys(template!.j)
  .map((c) => `"${c}"`)
  .join(", ");

const admin = postgres(adminUrl().toString(), { max: 1, onnotice: () => {} });
const results: { variant: string; group: number; cpuUs: number; wallUs: number }[] = [];
try {
  const names = Object.keys(VARIANTS);
  for (let rep = 0; rep < reps; rep++)
    // Each repetition starts with another variant, so none always follows the copy of the database.
    for (const variant of [...names.slice(rep % names.length), ...names.slice(0, rep % names.length)])
      for (const group of groups) {
        const statements = VARIANTS[variant]!;
        const copy = new URL(sourceUrl);
        copy.pathname = `/${copy.pathname.slice(1)}_copy`;
        await admin.unsafe(
          `create database "${copy.pathname.slice(1)}" template "${new URL(sourceUrl).pathname.slice(1)}"`,
        );
        const sql = postgres(copy.toString(), { max: 1, onnotice: () => {} });
        try {
          for (const s of statements) await sql.unsafe(s);
          const [backend] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
          const pid = backend!.pid;
          let seq = 0;
          const rows = () =>
            Array.from({ length: group }, () => {
              const n = seq++;
              return { ...template!.j, booking_uid: `cost-${n}`, dedupe_key: `cost-${n}`, received_at: new Date() };
            });
          const insert = variant.startsWith("floor")
            ? (batch: Record<string, unknown>[]) =>
                sql`insert into floor_rows (body) select x->>'body' from jsonb_array_elements(${sql.json(batch as never)}) x returning id`
            : (batch: Record<string, unknown>[]) =>
                sql.unsafe(
                  `insert into webhook_deliveries (${columns}) select ${columns} from jsonb_populate_recordset(null::webhook_deliveries, $1::jsonb) returning id`,
                  [batch as never],
                  { prepare: true },
                );
          for (let i = 0; i < 300; i += group) await insert(rows()); // warm: plans, caches
          // Copying the database wrote its pages through the WAL: flush them before measuring.
          await admin`checkpoint`;
          await new Promise((resolve) => setTimeout(resolve, 500));
          const cpu0 = processCpuMs(pid);
          const t0 = performance.now();
          for (let i = 0; i < rowCount; i += group) await insert(rows());
          const wallMs = performance.now() - t0;
          results.push({
            variant,
            group,
            cpuUs: ((processCpuMs(pid) - cpu0) / rowCount) * 1000,
            wallUs: (wallMs / rowCount) * 1000,
          });
        } finally {
          await sql.end();
          await dropDatabase(copy.toString());
        }
      }
  console.log(`PostgreSQL per delivery row, median of ${reps} (each ${rowCount} rows, one commit per statement):`);
  for (const variant of Object.keys(VARIANTS))
    for (const group of groups) {
      const mine = results.filter((r) => r.variant === variant && r.group === group);
      console.log(
        `${variant.padEnd(32)} ${String(group).padStart(2)} a statement: CPU ${median(mine.map((r) => r.cpuUs)).toFixed(0)} µs, wall ${median(mine.map((r) => r.wallUs)).toFixed(0)} µs (runs: ${mine.map((r) => r.cpuUs.toFixed(0)).join(", ")})`,
      );
    }
} finally {
  await admin.end();
  await dropDatabase(sourceUrl);
}
