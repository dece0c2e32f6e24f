import { getTableColumns, sql, type SQL, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";

/**
 * Rows for some columns of a table as one jsonb parameter, for INSERT ... SELECT and UPDATE ... FROM:
 * `jsonb_to_recordset($1) as alias("key" type, ...)`. Building it costs the same for one row or a thousand, where
 * drizzle's VALUES builder works per cell (a batch of webhook deliveries spent most of its CPU there). Rows go in as
 * they are (camelCase keys; keys not asked for are ignored; Dates as ISO strings, which timestamptz reads) and come
 * out in array order. Column names and types come from the schema, named as the client's snake_case casing names them.
 *
 *   const r = recordset(webhookEffects, ["dedupeKey", "deliveryId"], rows);
 *   sql`insert into ${webhookEffects} (${r.columns}) select ${r.values} from ${r.from}`
 */
export function recordset<T extends Table, K extends keyof T["$inferSelect"] & string>(
  table: T,
  keys: readonly K[],
  rows: readonly Pick<T["$inferSelect"], K>[],
  alias = "x",
): { columns: SQL; values: SQL; from: SQL; ref: (key: K) => SQL } {
  const all = getTableColumns(table) as Record<string, { name: string; keyAsName: boolean; getSQLType(): string }>;
  const defs = keys.map((k) => {
    const column = all[k];
    if (!column) throw new Error(`recordset: ${k} is not a column of this table`);
    return { key: k, name: column.keyAsName ? toSnakeCase(column.name) : column.name, type: column.getSQLType() };
  });
  const a = sql.identifier(alias);
  const ref = (key: K) => sql`${a}.${sql.identifier(key)}`;
  return {
    columns: sql.join(
      defs.map((d) => sql.identifier(d.name)),
      sql`, `,
    ),
    values: sql.join(
      defs.map((d) => ref(d.key)),
      sql`, `,
    ),
    from: sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ${a}(${sql.join(
      defs.map((d) => sql`${sql.identifier(d.key)} ${sql.raw(d.type)}`),
      sql`, `,
    )})`,
    ref,
  };
}
