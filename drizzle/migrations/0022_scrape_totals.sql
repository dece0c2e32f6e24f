-- /api/metrics aggregated the whole call log and the whole webhook log on every scrape (700 ms at a million rows
-- each, growing with the tables). It now reads totals the database keeps (issue 14):
-- - api_call_live_totals: the call log per company, family and status label, kept by the api_calls rollup trigger.
-- - webhook_delivery_rollups gains verdict and status, so the settled buckets answer the delivery counters too. It is
--   a cache filled on read: emptied here, refilled by the next read. webhook_rollup_watermark says up to where every
--   settled bucket is filled, so a scrape fills only what settled since (the trigger moves it back when it drops one).
-- - webhook_deliveries_processed: the processing lag of the last minutes without a scan of the log.
CREATE TABLE "api_call_live_totals" (
	"company_id" integer NOT NULL,
	"family" text NOT NULL,
	"status" text NOT NULL,
	"calls" bigint NOT NULL,
	"duration_ms_sum" bigint NOT NULL,
	"buckets" bigint[] NOT NULL,
	CONSTRAINT "api_call_live_totals_company_id_family_status_pk" PRIMARY KEY("company_id","family","status")
);
--> statement-breakpoint
ALTER TABLE "api_call_live_totals" ADD CONSTRAINT "api_call_live_totals_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
TRUNCATE "webhook_delivery_rollups", "webhook_rollup_buckets";--> statement-breakpoint
ALTER TABLE "webhook_delivery_rollups" ADD COLUMN "verdict" text NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_delivery_rollups" ADD COLUMN "status" text NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_delivery_rollups" DROP CONSTRAINT "webhook_delivery_rollups_pk";--> statement-breakpoint
ALTER TABLE "webhook_delivery_rollups" ADD CONSTRAINT "webhook_delivery_rollups_pk" PRIMARY KEY("bucket","company_id","verdict","status");--> statement-breakpoint
CREATE TABLE "webhook_rollup_watermark" (
	"id" integer PRIMARY KEY NOT NULL,
	"upto" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "webhook_rollup_watermark" ("id", "upto") VALUES (1, '-infinity');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_processed" ON "webhook_deliveries" USING btree ("processed_at") WHERE "webhook_deliveries"."processed_at" is not null;--> statement-breakpoint
-- The status label of a call (lib/prometheus/call-totals.ts STATUS_LABEL_SQL calls this): HTTP status, none (no
-- answer), cache (served from our cache), circuit_open (refused locally).
CREATE FUNCTION api_call_status_label(is_cache_hit boolean, cal_code text, status integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN is_cache_hit THEN 'cache' WHEN cal_code = 'CAL-013' THEN 'circuit_open' ELSE coalesce(status::text, 'none') END
$fn$;--> statement-breakpoint
-- Element-wise a + sign * b of two bucket arrays.
CREATE FUNCTION api_call_add_buckets(a bigint[], b bigint[], sign integer) RETURNS bigint[]
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT coalesce(array_agg(coalesce(x, 0) + sign * coalesce(y, 0) ORDER BY i), '{}')
  FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)
$fn$;--> statement-breakpoint
-- The rollup trigger also keeps api_call_live_totals, with static SQL (planned once per session). The buckets are
-- cumulative, at LATENCY_BUCKETS_MS (lib/prometheus/call-totals.ts); lib/prometheus/metrics.int.test.ts checks the
-- totals against the log's own aggregate.
CREATE OR REPLACE FUNCTION api_calls_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE api_call_rollups, api_call_hourly_rollups, api_call_code_rollups, api_call_live_totals;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    FOREACH stmt IN ARRAY api_call_rollup_statements('old_rows', -1) LOOP EXECUTE stmt; END LOOP;
    UPDATE api_call_live_totals t
    SET calls = t.calls - d.calls, duration_ms_sum = t.duration_ms_sum - d.duration_ms_sum,
      buckets = api_call_add_buckets(t.buckets, d.buckets, -1)
    FROM (SELECT company_id, family, api_call_status_label(is_cache_hit, cal_code, status) AS status, count(*) AS calls,
            coalesce(sum(duration_ms), 0) AS duration_ms_sum, ARRAY[count(*) FILTER (WHERE duration_ms <= 50), count(*) FILTER (WHERE duration_ms <= 100), count(*) FILTER (WHERE duration_ms <= 250), count(*) FILTER (WHERE duration_ms <= 500), count(*) FILTER (WHERE duration_ms <= 1000), count(*) FILTER (WHERE duration_ms <= 2500), count(*) FILTER (WHERE duration_ms <= 5000), count(*) FILTER (WHERE duration_ms <= 10000)]::bigint[] AS buckets
          FROM old_rows GROUP BY 1, 2, 3) d
    WHERE t.company_id = d.company_id AND t.family = d.family AND t.status = d.status;
    DELETE FROM api_call_live_totals t WHERE t.calls = 0 AND (t.company_id, t.family, t.status) IN
      (SELECT company_id, family, api_call_status_label(is_cache_hit, cal_code, status) FROM old_rows);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    FOREACH stmt IN ARRAY api_call_rollup_statements('new_rows', 1) LOOP EXECUTE stmt; END LOOP;
    INSERT INTO api_call_live_totals AS t (company_id, family, status, calls, duration_ms_sum, buckets)
    SELECT company_id, family, api_call_status_label(is_cache_hit, cal_code, status), count(*), coalesce(sum(duration_ms), 0),
      ARRAY[count(*) FILTER (WHERE duration_ms <= 50), count(*) FILTER (WHERE duration_ms <= 100), count(*) FILTER (WHERE duration_ms <= 250), count(*) FILTER (WHERE duration_ms <= 500), count(*) FILTER (WHERE duration_ms <= 1000), count(*) FILTER (WHERE duration_ms <= 2500), count(*) FILTER (WHERE duration_ms <= 5000), count(*) FILTER (WHERE duration_ms <= 10000)]::bigint[]
    FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (company_id, family, status) DO UPDATE SET calls = t.calls + excluded.calls,
      duration_ms_sum = t.duration_ms_sum + excluded.duration_ms_sum,
      buckets = api_call_add_buckets(t.buckets, excluded.buckets, 1);
  END IF;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
-- Recompute api_call_live_totals from the log (after a restore that loaded api_calls with triggers off), under the
-- same SHARE lock as rebuild_api_call_rollups.
CREATE FUNCTION rebuild_api_call_live_totals() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  LOCK TABLE api_calls IN SHARE MODE;
  DELETE FROM api_call_live_totals;
  INSERT INTO api_call_live_totals (company_id, family, status, calls, duration_ms_sum, buckets)
  SELECT company_id, family, api_call_status_label(is_cache_hit, cal_code, status), count(*), coalesce(sum(duration_ms), 0),
    ARRAY[count(*) FILTER (WHERE duration_ms <= 50), count(*) FILTER (WHERE duration_ms <= 100), count(*) FILTER (WHERE duration_ms <= 250), count(*) FILTER (WHERE duration_ms <= 500), count(*) FILTER (WHERE duration_ms <= 1000), count(*) FILTER (WHERE duration_ms <= 2500), count(*) FILTER (WHERE duration_ms <= 5000), count(*) FILTER (WHERE duration_ms <= 10000)]::bigint[]
  FROM api_calls GROUP BY 1, 2, 3;
END
$fn$;--> statement-breakpoint
SELECT rebuild_api_call_live_totals();--> statement-breakpoint
-- The webhook rollup trigger drops the buckets a write touches as in 0021, and moves the watermark back to the
-- oldest of them: a write to a bucket below it (a status change, retention, an old import) is then filled again by
-- the next scrape. A live delivery's bucket is never below the watermark (which stays at least ten minutes behind):
-- the DELETEs find nothing and the UPDATE matches no row (about 10 us more a statement than in 0021). The two
-- branches differ only in the transition table, which static SQL cannot take from a variable.
CREATE OR REPLACE FUNCTION webhook_deliveries_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  lo timestamptz;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE webhook_delivery_rollups, webhook_rollup_buckets;
    UPDATE webhook_rollup_watermark SET upto = '-infinity';
  ELSIF TG_OP = 'INSERT' THEN
    SELECT min(date_bin('5 minutes', received_at, timestamptz '1970-01-01 00:00:00+00')) INTO lo FROM new_rows;
    DELETE FROM webhook_rollup_buckets WHERE bucket IN
      (SELECT date_bin('5 minutes', received_at, timestamptz '1970-01-01 00:00:00+00') FROM new_rows);
    DELETE FROM webhook_delivery_rollups WHERE bucket IN
      (SELECT date_bin('5 minutes', received_at, timestamptz '1970-01-01 00:00:00+00') FROM new_rows);
    UPDATE webhook_rollup_watermark SET upto = lo WHERE upto > lo;
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
$fn$;
