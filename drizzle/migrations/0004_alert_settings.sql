CREATE TABLE "alert_settings" (
	"company_id" integer PRIMARY KEY NOT NULL,
	"success_rate_min_pct" double precision DEFAULT 95 NOT NULL,
	"avg_latency_max_ms" integer DEFAULT 1000 NOT NULL,
	"circuit_trips_per_hour_max" integer DEFAULT 5 NOT NULL,
	"window_minutes" integer DEFAULT 15 NOT NULL,
	"min_calls" integer DEFAULT 20 NOT NULL,
	"webhook_silence_minutes" integer DEFAULT 360 NOT NULL,
	"sync_stale_minutes" integer DEFAULT 120 NOT NULL,
	"manual_queue_max_age_minutes" integer DEFAULT 30 NOT NULL,
	"notify_email" text,
	"notify_webhook_url" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;