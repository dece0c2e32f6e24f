CREATE TABLE "sync_event_types" (
	"company_id" integer NOT NULL,
	"event_type_id" integer NOT NULL,
	"team_id" integer,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"length_in_minutes" integer NOT NULL,
	"before_event_buffer" integer,
	"after_event_buffer" integer,
	"minimum_booking_notice" integer,
	"is_hidden" boolean DEFAULT false NOT NULL,
	"booking_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_present" boolean DEFAULT true NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run_id" bigint,
	CONSTRAINT "sync_event_types_company_id_event_type_id_pk" PRIMARY KEY("company_id","event_type_id")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sync_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"trigger" text NOT NULL,
	"actor_label" text NOT NULL,
	"actor_user_id" integer,
	"is_check_only" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"phase" text DEFAULT 'starting' NOT NULL,
	"reason" text,
	"is_share_guard_tripped" boolean DEFAULT false NOT NULL,
	"counts" jsonb DEFAULT '{"found":0,"matched":0,"new":0,"missing":0,"orphaned":0,"deactivated":0,"errors":0}'::jsonb NOT NULL,
	"diff" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sync_service_states" (
	"service_id" integer PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"status" text DEFAULT 'ok' NOT NULL,
	"miss_count" integer DEFAULT 0 NOT NULL,
	"missed_run_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"reason_details" jsonb,
	"event_type_id" integer,
	"event_type_last_seen_at" timestamp with time zone,
	"review_cause" text,
	"review_since" timestamp with time zone,
	"snoozed_until" timestamp with time zone,
	"deactivated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_settings" (
	"company_id" integer PRIMARY KEY NOT NULL,
	"is_schedule_enabled" boolean DEFAULT true NOT NULL,
	"interval_minutes" integer DEFAULT 30 NOT NULL,
	"orphan_share_percent" integer DEFAULT 20 NOT NULL,
	"is_auto_deactivate" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sync_event_types" ADD CONSTRAINT "sync_event_types_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_service_states" ADD CONSTRAINT "sync_service_states_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_service_states" ADD CONSTRAINT "sync_service_states_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_settings" ADD CONSTRAINT "sync_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_one_running" ON "sync_runs" USING btree ("company_id") WHERE "sync_runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "sync_runs_company_id" ON "sync_runs" USING btree ("company_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sync_runs_id_desc" ON "sync_runs" USING btree ("id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sync_service_states_company_status" ON "sync_service_states" USING btree ("company_id","status");