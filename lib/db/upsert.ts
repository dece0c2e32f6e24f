import { sql, type SQL } from "drizzle-orm";

/** ON CONFLICT DO UPDATE SET col = excluded.col for these (camelCase) fields, as the snake_case schema names them. */
export function excluded(keys: string[]): Record<string, SQL> {
  return Object.fromEntries(
    keys.map((k) => [k, sql.raw(`excluded.${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)]),
  );
}
