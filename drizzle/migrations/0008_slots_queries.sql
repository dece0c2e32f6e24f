CREATE TABLE "slot_queries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "slot_queries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"company_id" integer NOT NULL,
	"source" text NOT NULL,
	"actor_label" text,
	"service_id" integer,
	"event_type_id" integer NOT NULL,
	"range_start" timestamp with time zone NOT NULL,
	"range_end" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"requested_start" timestamp with time zone,
	"reason_codes" jsonb,
	"slots" jsonb,
	"slot_count" integer DEFAULT 0 NOT NULL,
	"http_status" integer,
	"cal_code" text,
	"error" text,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"request" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slot_queries" ADD CONSTRAINT "slot_queries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "slot_queries_company_id" ON "slot_queries" USING btree ("company_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "slot_queries_company_event_type_id" ON "slot_queries" USING btree ("company_id","event_type_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "slot_queries_at" ON "slot_queries" USING btree ("at");