CREATE TABLE "reconcile_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reconcile_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" bigint NOT NULL,
	"company_id" integer NOT NULL,
	"class" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"appointment_id" integer,
	"booking_uid" text,
	"diff" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"local" jsonb,
	"calcom" jsonb,
	"related" jsonb,
	"fix" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconcile_remote_bookings" (
	"run_id" bigint NOT NULL,
	"uid" text NOT NULL,
	"booking_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"event_type_id" integer,
	"attendee_name" text,
	"attendee_email" text,
	CONSTRAINT "reconcile_remote_bookings_run_id_uid_pk" PRIMARY KEY("run_id","uid")
);
--> statement-breakpoint
CREATE TABLE "reconcile_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reconcile_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"mode" text NOT NULL,
	"range_from" timestamp with time zone NOT NULL,
	"range_to" timestamp with time zone NOT NULL,
	"updated_since" timestamp with time zone,
	"actor_label" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"remote_count" integer DEFAULT 0 NOT NULL,
	"local_count" integer DEFAULT 0 NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"lookups" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_appointment_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_appointment_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" bigint NOT NULL,
	"appointment_id" integer,
	"company_id" integer,
	"booking_uid" text NOT NULL,
	"change" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"received_at" timestamp (3) with time zone NOT NULL,
	"company_id" integer,
	"route_slug" text,
	"content_type" text,
	"headers" jsonb NOT NULL,
	"body" text,
	"body_bytes" integer NOT NULL,
	"body_truncated" boolean DEFAULT false NOT NULL,
	"body_sha256" text,
	"body_purged_at" timestamp with time zone,
	"verdict" text NOT NULL,
	"verdict_detail" text NOT NULL,
	"verification" jsonb NOT NULL,
	"matched_secret_id" integer,
	"response_status" integer NOT NULL,
	"trigger_event" text,
	"booking_uid" text,
	"booking_id" integer,
	"payload_created_at" text,
	"dedupe_key" text,
	"status" text NOT NULL,
	"outcome" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"processed_at" timestamp with time zone,
	"duplicate_of_id" bigint,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"appointment_id" integer
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_delivery_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"job_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "webhook_effects" (
	"dedupe_key" text PRIMARY KEY NOT NULL,
	"company_id" integer,
	"delivery_id" bigint NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_meeting_attendance" (
	"booking_uid" text PRIMARY KEY NOT NULL,
	"company_id" integer,
	"appointment_id" integer,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"no_show_emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_reprocess_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_reprocess_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"requested_by" text NOT NULL,
	"filter" jsonb NOT NULL,
	"delivery_ids" jsonb NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_reschedule_links" (
	"from_uid" text PRIMARY KEY NOT NULL,
	"to_uid" text NOT NULL,
	"company_id" integer,
	"delivery_id" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_settings" (
	"company_id" integer PRIMARY KEY NOT NULL,
	"allow_unsigned" boolean DEFAULT false NOT NULL,
	"silence_threshold_minutes" integer DEFAULT 1440 NOT NULL,
	"payload_retention_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_unmatched_bookings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_unmatched_bookings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"booking_uid" text NOT NULL,
	"booking_id" integer,
	"event_type_id" integer,
	"status" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"attendee_email" text,
	"last_delivery_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reconcile_items" ADD CONSTRAINT "reconcile_items_run_id_reconcile_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconcile_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_items" ADD CONSTRAINT "reconcile_items_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_items" ADD CONSTRAINT "reconcile_items_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_remote_bookings" ADD CONSTRAINT "reconcile_remote_bookings_run_id_reconcile_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconcile_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_runs" ADD CONSTRAINT "reconcile_runs_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_appointment_changes" ADD CONSTRAINT "webhook_appointment_changes_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_appointment_changes" ADD CONSTRAINT "webhook_appointment_changes_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_appointment_changes" ADD CONSTRAINT "webhook_appointment_changes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_matched_secret_id_company_webhook_secrets_id_fk" FOREIGN KEY ("matched_secret_id") REFERENCES "public"."company_webhook_secrets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_effects" ADD CONSTRAINT "webhook_effects_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_effects" ADD CONSTRAINT "webhook_effects_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_meeting_attendance" ADD CONSTRAINT "webhook_meeting_attendance_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_meeting_attendance" ADD CONSTRAINT "webhook_meeting_attendance_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_reschedule_links" ADD CONSTRAINT "webhook_reschedule_links_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_reschedule_links" ADD CONSTRAINT "webhook_reschedule_links_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_settings" ADD CONSTRAINT "webhook_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_unmatched_bookings" ADD CONSTRAINT "webhook_unmatched_bookings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_unmatched_bookings" ADD CONSTRAINT "webhook_unmatched_bookings_last_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("last_delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconcile_items_run_class_id" ON "reconcile_items" USING btree ("run_id","class","id");--> statement-breakpoint
CREATE INDEX "reconcile_items_run_status_id" ON "reconcile_items" USING btree ("run_id","status","id");--> statement-breakpoint
CREATE INDEX "reconcile_items_appointment" ON "reconcile_items" USING btree ("appointment_id");--> statement-breakpoint
CREATE INDEX "reconcile_remote_run_start" ON "reconcile_remote_bookings" USING btree ("run_id","starts_at","uid");--> statement-breakpoint
CREATE INDEX "reconcile_runs_company_id" ON "reconcile_runs" USING btree ("company_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reconcile_runs_id_desc" ON "reconcile_runs" USING btree ("id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_appointment_changes_delivery" ON "webhook_appointment_changes" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "webhook_appointment_changes_appointment" ON "webhook_appointment_changes" USING btree ("appointment_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received" ON "webhook_deliveries" USING btree ("received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_company_received" ON "webhook_deliveries" USING btree ("company_id","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_status_received" ON "webhook_deliveries" USING btree ("status","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_company_status_received" ON "webhook_deliveries" USING btree ("company_id","status","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_verdict_received" ON "webhook_deliveries" USING btree ("verdict","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_trigger_received" ON "webhook_deliveries" USING btree ("trigger_event","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_booking_received" ON "webhook_deliveries" USING btree ("booking_uid","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_company_verified" ON "webhook_deliveries" USING btree ("company_id","received_at" DESC NULLS LAST) WHERE "webhook_deliveries"."verdict" in ('verified','verified_previous_secret','unsigned_allowed');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_purgeable" ON "webhook_deliveries" USING btree ("received_at") WHERE "webhook_deliveries"."body" is not null;--> statement-breakpoint
CREATE INDEX "webhook_delivery_attempts_delivery" ON "webhook_delivery_attempts" USING btree ("delivery_id","id");--> statement-breakpoint
CREATE INDEX "webhook_reprocess_runs_created" ON "webhook_reprocess_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_reschedule_links_to" ON "webhook_reschedule_links" USING btree ("to_uid");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_unmatched_bookings_uid" ON "webhook_unmatched_bookings" USING btree ("booking_uid");--> statement-breakpoint
CREATE INDEX "webhook_unmatched_bookings_company" ON "webhook_unmatched_bookings" USING btree ("company_id","id");