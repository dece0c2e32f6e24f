import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { webhookEffects } from "@/drizzle/schema/webhooks";
import { recordset, textList } from "./recordset";

const dialect = new PgDialect({ casing: "snake_case" });
const render = (r: { columns: SQL; values: SQL; from: SQL }) =>
  dialect.sqlToQuery(sql`insert into ${webhookEffects} (${r.columns}) select ${r.values} from ${r.from}`);

describe("recordset", () => {
  it("names columns as the schema does and types the recordset from it, with the rows as one parameter", () => {
    const rows = [
      { dedupeKey: "a", deliveryId: 1 },
      { dedupeKey: "b", deliveryId: 2 },
    ];
    const q = render(recordset(webhookEffects, ["dedupeKey", "deliveryId"] as const, rows));
    expect(q.sql).toBe(
      `insert into "webhook_effects" ("dedupe_key", "delivery_id") select "x"."dedupeKey", "x"."deliveryId" ` +
        `from jsonb_to_recordset($1::jsonb) as "x"("dedupeKey" text, "deliveryId" bigint)`,
    );
    expect(q.params).toEqual([JSON.stringify(rows)]);
  });

  it("keeps one text per table, key list and alias: another key list or alias gets its own", () => {
    const first = render(recordset(webhookEffects, ["dedupeKey", "deliveryId"] as const, []));
    const other = render(recordset(webhookEffects, ["deliveryId"] as const, [], "y"));
    const again = render(
      recordset(webhookEffects, ["dedupeKey", "deliveryId"] as const, [{ dedupeKey: "c", deliveryId: 3 }]),
    );
    expect(other.sql).toBe(
      `insert into "webhook_effects" ("delivery_id") select "y"."deliveryId" ` +
        `from jsonb_to_recordset($1::jsonb) as "y"("deliveryId" bigint)`,
    );
    expect(again.sql).toBe(first.sql);
    expect(again.params).toEqual([JSON.stringify([{ dedupeKey: "c", deliveryId: 3 }])]);
  });

  it("refuses a key that is not a column of the table", () => {
    expect(() => recordset(webhookEffects, ["nope" as "dedupeKey"] as const, [])).toThrow(
      "recordset: nope is not a column of this table",
    );
  });
});

describe("textList", () => {
  it("is one statement text whatever the list's length, with the strings as one jsonb parameter", () => {
    const q = (values: string[]) =>
      dialect.sqlToQuery(sql`select pg_advisory_xact_lock(hashtext(k)) from ${textList(values)}`);
    const one = q(["a"]);
    const three = q(["c", "a", 'b"quoted']);
    expect(three.sql).toBe(
      `select pg_advisory_xact_lock(hashtext(k)) from jsonb_array_elements_text($1::jsonb) as "v"(k)`,
    );
    expect(one.sql).toBe(three.sql);
    expect(three.params).toEqual([JSON.stringify(["c", "a", 'b"quoted'])]);
  });
});
