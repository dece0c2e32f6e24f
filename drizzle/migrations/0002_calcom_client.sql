CREATE TABLE "api_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"scope" text NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"company_id" integer NOT NULL,
	"family" text NOT NULL,
	"method" text NOT NULL,
	"path_template" text NOT NULL,
	"status" integer,
	"duration_ms" integer NOT NULL,
	"cal_code" text,
	"breaker_state" text NOT NULL,
	"is_cache_hit" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"error" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "circuit_breakers" (
	"company_id" integer PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'closed' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone,
	"open_until" timestamp with time zone,
	"forced_open_until" timestamp with time zone,
	"half_open_in_flight" integer DEFAULT 0 NOT NULL,
	"half_open_started_at" timestamp with time zone,
	"failure_threshold" integer DEFAULT 5 NOT NULL,
	"open_seconds" integer DEFAULT 60 NOT NULL,
	"half_open_max_calls" integer DEFAULT 2 NOT NULL,
	"last_failure_code" text,
	"last_failure_status" integer,
	"last_failure_message" text,
	"last_failure_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "circuit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "circuit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"reason" text NOT NULL,
	"actor_label" text
);
--> statement-breakpoint
CREATE TABLE "rate_limit_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone,
	"upstream_limit" integer,
	"upstream_remaining" integer,
	"upstream_reset_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "api_cache" ADD CONSTRAINT "api_cache_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_calls" ADD CONSTRAINT "api_calls_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circuit_breakers" ADD CONSTRAINT "circuit_breakers_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circuit_events" ADD CONSTRAINT "circuit_events_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_cache_company_scope" ON "api_cache" USING btree ("company_id","scope");--> statement-breakpoint
CREATE INDEX "api_cache_expires" ON "api_cache" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "api_calls_at" ON "api_calls" USING btree ("at");--> statement-breakpoint
CREATE INDEX "api_calls_company_at" ON "api_calls" USING btree ("company_id","at");--> statement-breakpoint
CREATE INDEX "api_calls_failed_at" ON "api_calls" USING btree ("at") WHERE "api_calls"."cal_code" is not null;--> statement-breakpoint
CREATE INDEX "circuit_events_company_id" ON "circuit_events" USING btree ("company_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "circuit_events_at" ON "circuit_events" USING btree ("at");