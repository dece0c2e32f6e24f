CREATE TABLE "api_call_pruned_totals" (
	"company_id" integer NOT NULL,
	"family" text NOT NULL,
	"status" text NOT NULL,
	"calls" bigint DEFAULT 0 NOT NULL,
	"duration_ms_sum" bigint DEFAULT 0 NOT NULL,
	"buckets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "api_call_pruned_totals_company_id_family_status_pk" PRIMARY KEY("company_id","family","status")
);
--> statement-breakpoint
CREATE TABLE "webhook_expectations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_expectations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" integer NOT NULL,
	"appointment_id" integer,
	"action" text NOT NULL,
	"booking_uid" text NOT NULL,
	"triggers" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"met_at" timestamp with time zone,
	"delivery_id" bigint,
	"actual_trigger" text
);
--> statement-breakpoint
CREATE TABLE "webhook_subscription_checks" (
	"company_id" integer PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_ok" boolean NOT NULL,
	"issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"webhooks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "alert_settings" ADD COLUMN "webhook_deadline_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_calls" ADD COLUMN "correlation" text;--> statement-breakpoint
ALTER TABLE "api_call_pruned_totals" ADD CONSTRAINT "api_call_pruned_totals_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_expectations" ADD CONSTRAINT "webhook_expectations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_expectations" ADD CONSTRAINT "webhook_expectations_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscription_checks" ADD CONSTRAINT "webhook_subscription_checks_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_expectations_status_deadline" ON "webhook_expectations" USING btree ("status","deadline_at");--> statement-breakpoint
CREATE INDEX "webhook_expectations_company_uid" ON "webhook_expectations" USING btree ("company_id","booking_uid");--> statement-breakpoint
CREATE INDEX "webhook_expectations_company_created" ON "webhook_expectations" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_expectations_appointment" ON "webhook_expectations" USING btree ("appointment_id");--> statement-breakpoint
CREATE INDEX "api_calls_company_correlation" ON "api_calls" USING btree ("company_id","correlation","id") WHERE "api_calls"."correlation" is not null;--> statement-breakpoint
CREATE INDEX "audit_log_target_id" ON "audit_log" USING btree ("target_type","target_id","id");--> statement-breakpoint
CREATE INDEX "reconcile_items_booking_uid" ON "reconcile_items" USING btree ("booking_uid");