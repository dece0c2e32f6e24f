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
  const shape = shapeOf(table, keys, alias);
  return {
    columns: shape.columns,
    values: shape.values,
    from: sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ${shape.definition}`,
    ref: (key: K) => sql.raw(`${quote(alias)}.${quote(key)}`),
  };
}

/**
 * Strings as one jsonb parameter, as a FROM item that yields them in list order as `alias.k`:
 *
 *   sql`select pg_advisory_xact_lock(hashtext(k)) from ${textList(keys)}`
 *
 * One statement text whatever the length, where `in (${sql.join(...)})` has a parameter a value: a new text for every
 * length (prepared and planned anew on each connection) and a chunk a value for drizzle to render (issue 14).
 */
export function textList(values: readonly string[], alias = "v"): SQL {
  return sql`jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) as ${sql.raw(quote(alias))}(k)`;
}

/**
 * The statement's fixed text for a table, its keys and the alias, built once as raw SQL: drizzle then has a handful of
 * chunks to render instead of a few per column. A group INSERT of two webhook deliveries (21 columns) took 0.25 ms of
 * the request thread to build and render, 0.04 ms with the text built once (in a plain process; issue 14).
 */
type Shape = { columns: SQL; values: SQL; definition: SQL };
const shapes = new WeakMap<Table, Map<string, Shape>>();
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function shapeOf(table: Table, keys: readonly string[], alias: string): Shape {
  let byKeys = shapes.get(table);
  if (!byKeys) shapes.set(table, (byKeys = new Map()));
  const id = `${alias}\u0000${keys.join(",")}`;
  const known = byKeys.get(id);
  if (known) return known;
  const all = getTableColumns(table) as Record<string, { name: string; keyAsName: boolean; getSQLType(): string }>;
  const defs = keys.map((k) => {
    const column = all[k];
    if (!column) throw new Error(`recordset: ${k} is not a column of this table`);
    return { key: k, name: column.keyAsName ? toSnakeCase(column.name) : column.name, type: column.getSQLType() };
  });
  const shape = {
    columns: sql.raw(defs.map((d) => quote(d.name)).join(", ")),
    values: sql.raw(defs.map((d) => `${quote(alias)}.${quote(d.key)}`).join(", ")),
    definition: sql.raw(`${quote(alias)}(${defs.map((d) => `${quote(d.key)} ${d.type}`).join(", ")})`),
  };
  byKeys.set(id, shape);
  return shape;
}
