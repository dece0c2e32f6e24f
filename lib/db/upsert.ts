import { sql, type SQL } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";

/** ON CONFLICT DO UPDATE SET col = excluded.col for these (camelCase) fields, as the snake_case casing names them. */
export function excluded(keys: string[]): Record<string, SQL> {
  return Object.fromEntries(keys.map((k) => [k, sql.raw(`excluded.${toSnakeCase(k)}`)]));
}
