import "server-only";
import { sql } from "drizzle-orm";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { recordset } from "@/lib/db/recordset";
import { queryRows, type Db } from "@/lib/db/types";

/**
 * Group commit for the receiver: requests that arrive while an INSERT is in flight wait for it and then go in
 * together, as one multi-row INSERT and one commit. A lone request is written at once (no timer, no added latency);
 * under load the database sees one statement per group instead of one per delivery, which is what lets ingest keep
 * pace with a do-nothing route (docs/performance.md). Each request still answers only after its own row has
 * committed; when a group fails, its rows are retried one by one, so one bad row (a company deleted a moment ago)
 * fails only its own request.
 */

type DeliveryInsert = typeof webhookDeliveries.$inferInsert;
/** The columns the receiver sets; the rest keep their defaults. */
const INSERTED_COLUMNS = [
  "receivedAt",
  "companyId",
  "routeSlug",
  "contentType",
  "headers",
  "body",
  "bodyBytes",
  "bodyTruncated",
  "bodySha256",
  "verdict",
  "verdictDetail",
  "verification",
  "matchedSecretId",
  "responseStatus",
  "triggerEvent",
  "bookingUid",
  "bookingId",
  "payloadCreatedAt",
  "dedupeKey",
  "status",
  "outcome",
] as const satisfies readonly (keyof DeliveryInsert)[];
export type DeliveryRow = Required<Pick<DeliveryInsert, (typeof INSERTED_COLUMNS)[number]>>;

/**
 * One group in flight while the next one fills: every request that arrives during a commit goes into the next
 * INSERT. Two in flight split them into smaller groups, each with its statement, commit and socket writes; in-process
 * at 16 senders one took 1,370 and 1,831 deliveries/s against 1,256 and 1,310 for two (scripts/bench, issue 14).
 */
const MAX_IN_FLIGHT = 1;
/** 21 columns a row: far below PostgreSQL's 65,535 parameters, and a group rarely reaches it. */
const MAX_GROUP = 64;

type Waiting = { row: DeliveryRow; resolve: (id: number) => void; reject: (error: unknown) => void };
type Writer = { queue: Waiting[]; inFlight: number };

const writers = new WeakMap<Db, Writer>();

/** Stores one delivery row; resolves with its id once the row has committed. */
export function insertDelivery(db: Db, row: DeliveryRow): Promise<number> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = { queue: [], inFlight: 0 }));
  const w = writer;
  return new Promise<number>((resolve, reject) => {
    w.queue.push({ row, resolve, reject });
    if (w.inFlight < MAX_IN_FLIGHT) void flush(db, w);
  });
}

async function flush(db: Db, w: Writer): Promise<void> {
  w.inFlight++;
  try {
    while (w.queue.length > 0) {
      const group = w.queue.splice(0, MAX_GROUP);
      await writeGroup(db, group);
    }
  } finally {
    w.inFlight--;
  }
}

async function writeGroup(db: Db, group: Waiting[]): Promise<void> {
  try {
    const ids = await insertRows(
      db,
      group.map((g) => g.row),
    );
    group.forEach((g, i) => g.resolve(ids[i]!));
  } catch (error) {
    // A refused row (a foreign key gone meanwhile): each on its own, so only that request fails. Anything else (the
    // database unreachable) fails the group at once: retrying it row by row would only hold the queue up.
    if (group.length === 1 || !isRowError(error)) return group.forEach((g) => g.reject(error));
    for (const g of group) await insertRows(db, [g.row]).then(([id]) => g.resolve(id!), g.reject);
  }
}

/** SQLSTATE class 22 (data exception) or 23 (integrity constraint violation): something about one of the rows. */
function isRowError(error: unknown): boolean {
  const code =
    (error as { cause?: { code?: unknown }; code?: unknown } | null)?.cause?.code ??
    (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/**
 * Identity values are drawn row by row in the order the recordset gives the rows (array order), so the ids sorted
 * ascending line up with the rows as given, whatever order RETURNING lists them in.
 */
async function insertRows(db: Db, rows: DeliveryRow[]): Promise<number[]> {
  if (rows.length === 1) {
    let insertOne = preparedInserts.get(db);
    if (!insertOne) preparedInserts.set(db, (insertOne = prepareInsertOne(db)));
    const [one] = await insertOne.execute(rows[0]);
    return [one!.id];
  }
  // One jsonb parameter for the group: drizzle's VALUES builder costs per cell, 21 a row, on the request thread.
  const r = recordset(webhookDeliveries, INSERTED_COLUMNS, rows);
  const inserted = await queryRows<{ id: string | number }>(
    db,
    sql`insert into ${webhookDeliveries} (${r.columns}) select ${r.values} from ${r.from} returning id`,
  );
  if (inserted.length !== rows.length) throw new Error(`stored ${inserted.length} of ${rows.length} deliveries`);
  return inserted.map((row) => Number(row.id)).sort((x, y) => x - y);
}

/** The single-row INSERT is built once per database and executed with new values: a lone request skips query building. */
const preparedInserts = new WeakMap<Db, ReturnType<typeof prepareInsertOne>>();
function prepareInsertOne(db: Db) {
  const values = Object.fromEntries(INSERTED_COLUMNS.map((c) => [c, sql.placeholder(c)])) as unknown as DeliveryInsert;
  return db
    .insert(webhookDeliveries)
    .values(values)
    .returning({ id: webhookDeliveries.id })
    .prepare("webhook_delivery_insert");
}
