import { sql, type SQL } from "drizzle-orm";

/**
 * Many rows as one jsonb parameter, for INSERT ... SELECT and UPDATE ... FROM:
 * `jsonb_to_recordset($1) as alias(col type, ...)`. Building it costs the same for one row or a thousand, where
 * drizzle's VALUES builder works per cell (a batch of 50 webhook deliveries spent most of its CPU there). Rows are
 * produced in array order. Keys are the snake_case column names; Dates go in as ISO strings, which timestamptz reads.
 */
export function recordset(rows: readonly object[], columns: Record<string, string>, alias = "x"): SQL {
  const defs = Object.entries(columns).map(([name, type]) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name) || !/^[a-z0-9_ \[\]]+$/.test(type))
      throw new Error(`recordset: bad column "${name} ${type}"`);
    return `${name} ${type}`;
  });
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`recordset: bad alias "${alias}"`);
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ${sql.raw(alias)}(${sql.raw(defs.join(", "))})`;
}

/** The column list of a recordset, for `insert into t (${columnList(cols)}) select ${columnList(cols)} from ...`. */
export const columnList = (columns: Record<string, string>): SQL => sql.raw(Object.keys(columns).join(", "));
