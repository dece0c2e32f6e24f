-- Ingest's INSERT paid for the webhook rollup trigger on every statement: a plpgsql call with its transition table
-- (every new row copied into it), then two DELETEs and an UPDATE that find nothing, because a live delivery's bucket
-- is never settled. That was about 0.1 ms of PostgreSQL's CPU a statement, a third of a lone delivery's INSERT
-- (issue 14, docs/performance.md). INSERTs now go through a row-level trigger whose WHEN clause PostgreSQL evaluates
-- itself, without calling any function: only a row received more than 5 minutes before the statement (an import, a
-- restore, demo history) drops its bucket and moves the watermark back. A bucket is filled only once it ended 10
-- minutes before the reader's clock (lib/metrics/webhook-rollups.ts), so a row the WHEN skips lands in a bucket no
-- reader has filled, unless the application's clock runs more than 5 minutes ahead of the database's.
-- UPDATE, DELETE and TRUNCATE keep the statement-level trigger: processing, retention and reprocessing touch many
-- rows per statement, and one aggregate over them stays cheaper than a call per row.
DROP TRIGGER webhook_deliveries_rollup_insert ON webhook_deliveries;--> statement-breakpoint
CREATE FUNCTION webhook_deliveries_rollup_insert_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  b timestamptz := date_bin('5 minutes', NEW.received_at, timestamptz '1970-01-01 00:00:00+00');
BEGIN
  DELETE FROM webhook_rollup_buckets WHERE bucket = b;
  DELETE FROM webhook_delivery_rollups WHERE bucket = b;
  UPDATE webhook_rollup_watermark SET upto = b WHERE upto > b;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_rollup_insert AFTER INSERT ON webhook_deliveries FOR EACH ROW
  WHEN (NEW.received_at < now() - interval '5 minutes') EXECUTE FUNCTION webhook_deliveries_rollup_insert_row();--> statement-breakpoint
CREATE OR REPLACE FUNCTION webhook_deliveries_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  lo timestamptz;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE webhook_delivery_rollups, webhook_rollup_buckets;
    UPDATE webhook_rollup_watermark SET upto = '-infinity';
  ELSE
    SELECT min(date_bin('5 minutes', received_at, timestamptz '1970-01-01 00:00:00+00')) INTO lo FROM old_rows;
    DELETE FROM webhook_rollup_buckets WHERE bucket IN
      (SELECT date_bin('5 minutes', received_at, timestamptz '1970-01-01 00:00:00+00') FROM old_rows);
    DELETE FROM webhook_delivery_rollups WHERE bucket IN
      (SELECT date_bin('5 minutes', received_at, timestamptz '1970-01-01 00:00:00+00') FROM old_rows);
    UPDATE webhook_rollup_watermark SET upto = lo WHERE upto > lo;
  END IF;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
-- The body is the one large column: lz4 compresses and decompresses it several times faster than the default pglz,
-- for new rows (each delivery is compressed on ingest and read back by processing). PGlite is built without lz4 and
-- keeps pglz.
DO $do$
BEGIN
  ALTER TABLE webhook_deliveries ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END
$do$;
