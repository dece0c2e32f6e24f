CREATE TABLE "api_call_code_rollups" (
	"company_id" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"family" text NOT NULL,
	"cal_code" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone,
	CONSTRAINT "api_call_code_rollups_pk" PRIMARY KEY("company_id","bucket","family","cal_code")
);
--> statement-breakpoint
CREATE TABLE "api_call_hourly_rollups" (
	"company_id" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"family" text NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"unavailable" integer DEFAULT 0 NOT NULL,
	"cache_hits" integer DEFAULT 0 NOT NULL,
	"cacheable" integer DEFAULT 0 NOT NULL,
	"booking_creates" integer DEFAULT 0 NOT NULL,
	"booking_created" integer DEFAULT 0 NOT NULL,
	"latency_count" integer DEFAULT 0 NOT NULL,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"h0" integer DEFAULT 0 NOT NULL,
	"h1" integer DEFAULT 0 NOT NULL,
	"h2" integer DEFAULT 0 NOT NULL,
	"h3" integer DEFAULT 0 NOT NULL,
	"h4" integer DEFAULT 0 NOT NULL,
	"h5" integer DEFAULT 0 NOT NULL,
	"h6" integer DEFAULT 0 NOT NULL,
	"h7" integer DEFAULT 0 NOT NULL,
	"h8" integer DEFAULT 0 NOT NULL,
	"h9" integer DEFAULT 0 NOT NULL,
	"h10" integer DEFAULT 0 NOT NULL,
	"h11" integer DEFAULT 0 NOT NULL,
	"h12" integer DEFAULT 0 NOT NULL,
	"h13" integer DEFAULT 0 NOT NULL,
	"h14" integer DEFAULT 0 NOT NULL,
	"h15" integer DEFAULT 0 NOT NULL,
	"h16" integer DEFAULT 0 NOT NULL,
	"h17" integer DEFAULT 0 NOT NULL,
	"h18" integer DEFAULT 0 NOT NULL,
	"h19" integer DEFAULT 0 NOT NULL,
	"h20" integer DEFAULT 0 NOT NULL,
	"h21" integer DEFAULT 0 NOT NULL,
	"h22" integer DEFAULT 0 NOT NULL,
	"h23" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone,
	CONSTRAINT "api_call_hourly_rollups_pk" PRIMARY KEY("company_id","bucket","family")
);
--> statement-breakpoint
CREATE TABLE "api_call_rollups" (
	"company_id" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"family" text NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"unavailable" integer DEFAULT 0 NOT NULL,
	"cache_hits" integer DEFAULT 0 NOT NULL,
	"cacheable" integer DEFAULT 0 NOT NULL,
	"booking_creates" integer DEFAULT 0 NOT NULL,
	"booking_created" integer DEFAULT 0 NOT NULL,
	"latency_count" integer DEFAULT 0 NOT NULL,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"h0" integer DEFAULT 0 NOT NULL,
	"h1" integer DEFAULT 0 NOT NULL,
	"h2" integer DEFAULT 0 NOT NULL,
	"h3" integer DEFAULT 0 NOT NULL,
	"h4" integer DEFAULT 0 NOT NULL,
	"h5" integer DEFAULT 0 NOT NULL,
	"h6" integer DEFAULT 0 NOT NULL,
	"h7" integer DEFAULT 0 NOT NULL,
	"h8" integer DEFAULT 0 NOT NULL,
	"h9" integer DEFAULT 0 NOT NULL,
	"h10" integer DEFAULT 0 NOT NULL,
	"h11" integer DEFAULT 0 NOT NULL,
	"h12" integer DEFAULT 0 NOT NULL,
	"h13" integer DEFAULT 0 NOT NULL,
	"h14" integer DEFAULT 0 NOT NULL,
	"h15" integer DEFAULT 0 NOT NULL,
	"h16" integer DEFAULT 0 NOT NULL,
	"h17" integer DEFAULT 0 NOT NULL,
	"h18" integer DEFAULT 0 NOT NULL,
	"h19" integer DEFAULT 0 NOT NULL,
	"h20" integer DEFAULT 0 NOT NULL,
	"h21" integer DEFAULT 0 NOT NULL,
	"h22" integer DEFAULT 0 NOT NULL,
	"h23" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone,
	CONSTRAINT "api_call_rollups_pk" PRIMARY KEY("company_id","bucket","family")
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_rollups" (
	"bucket" timestamp with time zone NOT NULL,
	"company_id" integer NOT NULL,
	"received" integer NOT NULL,
	"failed" integer NOT NULL,
	CONSTRAINT "webhook_delivery_rollups_pk" PRIMARY KEY("bucket","company_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_rollup_buckets" (
	"bucket" timestamp with time zone PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_call_code_rollups" ADD CONSTRAINT "api_call_code_rollups_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_call_hourly_rollups" ADD CONSTRAINT "api_call_hourly_rollups_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_call_rollups" ADD CONSTRAINT "api_call_rollups_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_call_code_rollups_bucket" ON "api_call_code_rollups" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "api_call_hourly_rollups_bucket" ON "api_call_hourly_rollups" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "api_call_rollups_bucket" ON "api_call_rollups" USING btree ("bucket");--> statement-breakpoint
-- The call rollups are maintained by the database, in the transaction that writes the log: statement-level triggers
-- with transition tables aggregate each INSERT/DELETE/UPDATE statement once (one upsert per touched bucket, not per
-- row), so bulk imports, retention deletes and cascades keep the rollups equal to the log. The SQL is built by
-- api_call_rollup_statements() so the triggers and rebuild_api_call_rollups() share one definition. The latency
-- bounds are LATENCY_BOUNDS_MS in lib/metrics/latency-histogram.ts.
CREATE FUNCTION api_call_rollup_statements(src text, sign int) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF sign > 0 THEN
    RETURN ARRAY[
      format('insert into api_call_rollups as r (company_id, bucket, family, calls, failures, unavailable, cache_hits, cacheable, booking_creates, booking_created, latency_count, latency_sum_ms, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, last_at)
    select company_id, date_bin(''5 minutes'', at, timestamptz ''1970-01-01 00:00:00+00'') as bucket, family, count(*) filter (where not is_cache_hit) as calls,
      count(*) filter (where not is_cache_hit and cal_code is not null) as failures,
      count(*) filter (where not is_cache_hit and cal_code in (''CAL-012'',''CAL-005'',''CAL-013'')) as unavailable,
      count(*) filter (where is_cache_hit) as cache_hits,
      count(*) filter (where method = ''GET'' and family in (''slots'',''eventTypes'')) as cacheable,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'') as booking_creates,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'' and cal_code is null) as booking_created,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'') as latency_count,
      coalesce(sum(duration_ms) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013''), 0) as latency_sum_ms,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 0) as h0,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 1) as h1,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 2) as h2,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 3) as h3,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 4) as h4,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 5) as h5,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 6) as h6,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 7) as h7,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 8) as h8,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 9) as h9,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 10) as h10,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 11) as h11,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 12) as h12,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 13) as h13,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 14) as h14,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 15) as h15,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 16) as h16,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 17) as h17,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 18) as h18,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 19) as h19,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 20) as h20,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 21) as h21,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 22) as h22,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 23) as h23, max(at) as last_at
    from (select company_id, at, family, method, path_template, duration_ms, cal_code, is_cache_hit, width_bucket(duration_ms, ''{5,10,20,30,50,75,100,150,200,250,300,400,500,750,1000,1500,2000,3000,5000,10000,20000,30000,60000}''::int[]) as hb from %s) s group by 1, 2, 3
    order by 1, 2, 3
    on conflict (company_id, bucket, family) do update set calls = r.calls + excluded.calls, failures = r.failures + excluded.failures, unavailable = r.unavailable + excluded.unavailable, cache_hits = r.cache_hits + excluded.cache_hits, cacheable = r.cacheable + excluded.cacheable, booking_creates = r.booking_creates + excluded.booking_creates, booking_created = r.booking_created + excluded.booking_created, latency_count = r.latency_count + excluded.latency_count, latency_sum_ms = r.latency_sum_ms + excluded.latency_sum_ms, h0 = r.h0 + excluded.h0, h1 = r.h1 + excluded.h1, h2 = r.h2 + excluded.h2, h3 = r.h3 + excluded.h3, h4 = r.h4 + excluded.h4, h5 = r.h5 + excluded.h5, h6 = r.h6 + excluded.h6, h7 = r.h7 + excluded.h7, h8 = r.h8 + excluded.h8, h9 = r.h9 + excluded.h9, h10 = r.h10 + excluded.h10, h11 = r.h11 + excluded.h11, h12 = r.h12 + excluded.h12, h13 = r.h13 + excluded.h13, h14 = r.h14 + excluded.h14, h15 = r.h15 + excluded.h15, h16 = r.h16 + excluded.h16, h17 = r.h17 + excluded.h17, h18 = r.h18 + excluded.h18, h19 = r.h19 + excluded.h19, h20 = r.h20 + excluded.h20, h21 = r.h21 + excluded.h21, h22 = r.h22 + excluded.h22, h23 = r.h23 + excluded.h23, last_at = greatest(r.last_at, excluded.last_at)', src),
      format('insert into api_call_hourly_rollups as r (company_id, bucket, family, calls, failures, unavailable, cache_hits, cacheable, booking_creates, booking_created, latency_count, latency_sum_ms, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, last_at)
    select company_id, date_bin(''1 hour'', at, timestamptz ''1970-01-01 00:00:00+00'') as bucket, family, count(*) filter (where not is_cache_hit) as calls,
      count(*) filter (where not is_cache_hit and cal_code is not null) as failures,
      count(*) filter (where not is_cache_hit and cal_code in (''CAL-012'',''CAL-005'',''CAL-013'')) as unavailable,
      count(*) filter (where is_cache_hit) as cache_hits,
      count(*) filter (where method = ''GET'' and family in (''slots'',''eventTypes'')) as cacheable,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'') as booking_creates,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'' and cal_code is null) as booking_created,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'') as latency_count,
      coalesce(sum(duration_ms) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013''), 0) as latency_sum_ms,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 0) as h0,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 1) as h1,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 2) as h2,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 3) as h3,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 4) as h4,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 5) as h5,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 6) as h6,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 7) as h7,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 8) as h8,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 9) as h9,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 10) as h10,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 11) as h11,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 12) as h12,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 13) as h13,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 14) as h14,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 15) as h15,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 16) as h16,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 17) as h17,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 18) as h18,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 19) as h19,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 20) as h20,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 21) as h21,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 22) as h22,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 23) as h23, max(at) as last_at
    from (select company_id, at, family, method, path_template, duration_ms, cal_code, is_cache_hit, width_bucket(duration_ms, ''{5,10,20,30,50,75,100,150,200,250,300,400,500,750,1000,1500,2000,3000,5000,10000,20000,30000,60000}''::int[]) as hb from %s) s group by 1, 2, 3
    order by 1, 2, 3
    on conflict (company_id, bucket, family) do update set calls = r.calls + excluded.calls, failures = r.failures + excluded.failures, unavailable = r.unavailable + excluded.unavailable, cache_hits = r.cache_hits + excluded.cache_hits, cacheable = r.cacheable + excluded.cacheable, booking_creates = r.booking_creates + excluded.booking_creates, booking_created = r.booking_created + excluded.booking_created, latency_count = r.latency_count + excluded.latency_count, latency_sum_ms = r.latency_sum_ms + excluded.latency_sum_ms, h0 = r.h0 + excluded.h0, h1 = r.h1 + excluded.h1, h2 = r.h2 + excluded.h2, h3 = r.h3 + excluded.h3, h4 = r.h4 + excluded.h4, h5 = r.h5 + excluded.h5, h6 = r.h6 + excluded.h6, h7 = r.h7 + excluded.h7, h8 = r.h8 + excluded.h8, h9 = r.h9 + excluded.h9, h10 = r.h10 + excluded.h10, h11 = r.h11 + excluded.h11, h12 = r.h12 + excluded.h12, h13 = r.h13 + excluded.h13, h14 = r.h14 + excluded.h14, h15 = r.h15 + excluded.h15, h16 = r.h16 + excluded.h16, h17 = r.h17 + excluded.h17, h18 = r.h18 + excluded.h18, h19 = r.h19 + excluded.h19, h20 = r.h20 + excluded.h20, h21 = r.h21 + excluded.h21, h22 = r.h22 + excluded.h22, h23 = r.h23 + excluded.h23, last_at = greatest(r.last_at, excluded.last_at)', src),
      format('insert into api_call_code_rollups as r (company_id, bucket, family, cal_code, n, last_at)
    select company_id, date_bin(''5 minutes'', at, timestamptz ''1970-01-01 00:00:00+00'') as bucket, family, cal_code, count(*) as n, max(at) as last_at from %s where cal_code is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (company_id, bucket, family, cal_code) do update set n = r.n + excluded.n, last_at = greatest(r.last_at, excluded.last_at)', src)];
  END IF;
  RETURN ARRAY[
    format('update api_call_rollups r set calls = r.calls - d.calls, failures = r.failures - d.failures, unavailable = r.unavailable - d.unavailable, cache_hits = r.cache_hits - d.cache_hits, cacheable = r.cacheable - d.cacheable, booking_creates = r.booking_creates - d.booking_creates, booking_created = r.booking_created - d.booking_created, latency_count = r.latency_count - d.latency_count, latency_sum_ms = r.latency_sum_ms - d.latency_sum_ms, h0 = r.h0 - d.h0, h1 = r.h1 - d.h1, h2 = r.h2 - d.h2, h3 = r.h3 - d.h3, h4 = r.h4 - d.h4, h5 = r.h5 - d.h5, h6 = r.h6 - d.h6, h7 = r.h7 - d.h7, h8 = r.h8 - d.h8, h9 = r.h9 - d.h9, h10 = r.h10 - d.h10, h11 = r.h11 - d.h11, h12 = r.h12 - d.h12, h13 = r.h13 - d.h13, h14 = r.h14 - d.h14, h15 = r.h15 - d.h15, h16 = r.h16 - d.h16, h17 = r.h17 - d.h17, h18 = r.h18 - d.h18, h19 = r.h19 - d.h19, h20 = r.h20 - d.h20, h21 = r.h21 - d.h21, h22 = r.h22 - d.h22, h23 = r.h23 - d.h23
    from (select company_id, date_bin(''5 minutes'', at, timestamptz ''1970-01-01 00:00:00+00'') as bucket, family, count(*) filter (where not is_cache_hit) as calls,
      count(*) filter (where not is_cache_hit and cal_code is not null) as failures,
      count(*) filter (where not is_cache_hit and cal_code in (''CAL-012'',''CAL-005'',''CAL-013'')) as unavailable,
      count(*) filter (where is_cache_hit) as cache_hits,
      count(*) filter (where method = ''GET'' and family in (''slots'',''eventTypes'')) as cacheable,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'') as booking_creates,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'' and cal_code is null) as booking_created,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'') as latency_count,
      coalesce(sum(duration_ms) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013''), 0) as latency_sum_ms,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 0) as h0,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 1) as h1,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 2) as h2,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 3) as h3,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 4) as h4,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 5) as h5,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 6) as h6,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 7) as h7,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 8) as h8,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 9) as h9,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 10) as h10,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 11) as h11,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 12) as h12,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 13) as h13,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 14) as h14,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 15) as h15,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 16) as h16,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 17) as h17,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 18) as h18,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 19) as h19,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 20) as h20,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 21) as h21,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 22) as h22,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 23) as h23, max(at) as last_at
    from (select company_id, at, family, method, path_template, duration_ms, cal_code, is_cache_hit, width_bucket(duration_ms, ''{5,10,20,30,50,75,100,150,200,250,300,400,500,750,1000,1500,2000,3000,5000,10000,20000,30000,60000}''::int[]) as hb from %s) s group by 1, 2, 3) d
    where r.company_id = d.company_id and r.bucket = d.bucket and r.family = d.family', src),
    format('delete from api_call_rollups r where r.calls = 0 and r.cache_hits = 0 and (r.company_id, r.bucket, r.family) in (select company_id, date_bin(''5 minutes'', at, timestamptz ''1970-01-01 00:00:00+00''), family from %s)', src),
    format('update api_call_hourly_rollups r set calls = r.calls - d.calls, failures = r.failures - d.failures, unavailable = r.unavailable - d.unavailable, cache_hits = r.cache_hits - d.cache_hits, cacheable = r.cacheable - d.cacheable, booking_creates = r.booking_creates - d.booking_creates, booking_created = r.booking_created - d.booking_created, latency_count = r.latency_count - d.latency_count, latency_sum_ms = r.latency_sum_ms - d.latency_sum_ms, h0 = r.h0 - d.h0, h1 = r.h1 - d.h1, h2 = r.h2 - d.h2, h3 = r.h3 - d.h3, h4 = r.h4 - d.h4, h5 = r.h5 - d.h5, h6 = r.h6 - d.h6, h7 = r.h7 - d.h7, h8 = r.h8 - d.h8, h9 = r.h9 - d.h9, h10 = r.h10 - d.h10, h11 = r.h11 - d.h11, h12 = r.h12 - d.h12, h13 = r.h13 - d.h13, h14 = r.h14 - d.h14, h15 = r.h15 - d.h15, h16 = r.h16 - d.h16, h17 = r.h17 - d.h17, h18 = r.h18 - d.h18, h19 = r.h19 - d.h19, h20 = r.h20 - d.h20, h21 = r.h21 - d.h21, h22 = r.h22 - d.h22, h23 = r.h23 - d.h23
    from (select company_id, date_bin(''1 hour'', at, timestamptz ''1970-01-01 00:00:00+00'') as bucket, family, count(*) filter (where not is_cache_hit) as calls,
      count(*) filter (where not is_cache_hit and cal_code is not null) as failures,
      count(*) filter (where not is_cache_hit and cal_code in (''CAL-012'',''CAL-005'',''CAL-013'')) as unavailable,
      count(*) filter (where is_cache_hit) as cache_hits,
      count(*) filter (where method = ''GET'' and family in (''slots'',''eventTypes'')) as cacheable,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'') as booking_creates,
      count(*) filter (where family = ''bookings'' and method = ''POST'' and path_template = ''/v2/bookings'' and cal_code is null) as booking_created,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'') as latency_count,
      coalesce(sum(duration_ms) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013''), 0) as latency_sum_ms,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 0) as h0,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 1) as h1,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 2) as h2,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 3) as h3,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 4) as h4,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 5) as h5,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 6) as h6,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 7) as h7,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 8) as h8,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 9) as h9,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 10) as h10,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 11) as h11,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 12) as h12,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 13) as h13,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 14) as h14,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 15) as h15,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 16) as h16,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 17) as h17,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 18) as h18,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 19) as h19,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 20) as h20,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 21) as h21,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 22) as h22,
      count(*) filter (where not is_cache_hit and cal_code is distinct from ''CAL-013'' and hb = 23) as h23, max(at) as last_at
    from (select company_id, at, family, method, path_template, duration_ms, cal_code, is_cache_hit, width_bucket(duration_ms, ''{5,10,20,30,50,75,100,150,200,250,300,400,500,750,1000,1500,2000,3000,5000,10000,20000,30000,60000}''::int[]) as hb from %s) s group by 1, 2, 3) d
    where r.company_id = d.company_id and r.bucket = d.bucket and r.family = d.family', src),
    format('delete from api_call_hourly_rollups r where r.calls = 0 and r.cache_hits = 0 and (r.company_id, r.bucket, r.family) in (select company_id, date_bin(''1 hour'', at, timestamptz ''1970-01-01 00:00:00+00''), family from %s)', src),
    format('update api_call_code_rollups r set n = r.n - d.n from (select company_id, date_bin(''5 minutes'', at, timestamptz ''1970-01-01 00:00:00+00'') as bucket, family, cal_code, count(*) as n, max(at) as last_at from %s where cal_code is not null group by 1, 2, 3, 4) d
    where r.company_id = d.company_id and r.bucket = d.bucket and r.family = d.family and r.cal_code = d.cal_code', src),
    format('delete from api_call_code_rollups r where r.n = 0 and (r.company_id, r.bucket, r.family, r.cal_code) in (select company_id, date_bin(''5 minutes'', at, timestamptz ''1970-01-01 00:00:00+00''), family, cal_code from %s where cal_code is not null)', src)];
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION api_calls_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE api_call_rollups, api_call_hourly_rollups, api_call_code_rollups;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    FOREACH stmt IN ARRAY api_call_rollup_statements('old_rows', -1) LOOP EXECUTE stmt; END LOOP;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    FOREACH stmt IN ARRAY api_call_rollup_statements('new_rows', 1) LOOP EXECUTE stmt; END LOOP;
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER api_calls_rollup_insert AFTER INSERT ON api_calls REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION api_calls_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER api_calls_rollup_delete AFTER DELETE ON api_calls REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION api_calls_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER api_calls_rollup_update AFTER UPDATE ON api_calls REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION api_calls_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER api_calls_rollup_truncate AFTER TRUNCATE ON api_calls FOR EACH STATEMENT EXECUTE FUNCTION api_calls_rollup_trigger();
--> statement-breakpoint
-- Recompute the rollups of [from, to) (widened to whole hours) from the log, e.g. after a restore that
-- loaded api_calls with triggers off. Blocks writers of api_calls meanwhile (SHARE lock) so nothing is counted twice.
CREATE FUNCTION rebuild_api_call_rollups(from_at timestamptz, to_at timestamptz) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  lo timestamptz := date_bin('1 hour', from_at, timestamptz '1970-01-01 00:00:00+00');
  hi timestamptz := date_bin('1 hour', to_at - interval '1 microsecond', timestamptz '1970-01-01 00:00:00+00') + interval '1 hour';
  stmt text;
BEGIN
  LOCK TABLE api_calls IN SHARE MODE;
  DELETE FROM api_call_rollups WHERE bucket >= lo AND bucket < hi;
  DELETE FROM api_call_hourly_rollups WHERE bucket >= lo AND bucket < hi;
  DELETE FROM api_call_code_rollups WHERE bucket >= lo AND bucket < hi;
  FOREACH stmt IN ARRAY api_call_rollup_statements(format('(select * from api_calls where at >= %L and at < %L) l', lo, hi), 1) LOOP
    EXECUTE stmt;
  END LOOP;
END
$fn$;
--> statement-breakpoint
SELECT rebuild_api_call_rollups(coalesce((SELECT min(at) FROM api_calls), now()), now() + interval '1 day');--> statement-breakpoint
-- Webhook delivery rollups are filled on read for settled buckets; any write to webhook_deliveries drops the buckets
-- it touches (one statement per statement, via transition tables), so the next read recomputes them from the log.
-- A live delivery lands in the current bucket, which is never materialized: its trigger deletes nothing.
CREATE FUNCTION webhook_deliveries_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  src text := CASE WHEN TG_OP = 'INSERT' THEN 'new_rows' ELSE 'old_rows' END;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE webhook_delivery_rollups, webhook_rollup_buckets;
    RETURN NULL;
  END IF;
  EXECUTE format('delete from webhook_rollup_buckets where bucket in (select distinct date_bin(''5 minutes'', received_at, timestamptz ''1970-01-01 00:00:00+00'') from %s)', src);
  EXECUTE format('delete from webhook_delivery_rollups where bucket in (select distinct date_bin(''5 minutes'', received_at, timestamptz ''1970-01-01 00:00:00+00'') from %s)', src);
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_rollup_insert AFTER INSERT ON webhook_deliveries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_rollup_update AFTER UPDATE ON webhook_deliveries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_rollup_delete AFTER DELETE ON webhook_deliveries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_rollup_truncate AFTER TRUNCATE ON webhook_deliveries FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_rollup_trigger();
