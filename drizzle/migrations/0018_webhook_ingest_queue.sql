CREATE TABLE "webhook_config_version" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_rejection_counts" (
	"address" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"dropped" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "webhook_rejection_counts_address_minute_pk" PRIMARY KEY("address","minute")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "webhook_rejection_counts_minute" ON "webhook_rejection_counts" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_queue" ON "webhook_deliveries" USING btree ("id") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_retry" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'failed' and "webhook_deliveries"."next_attempt_at" is not null;--> statement-breakpoint
-- Hand-written: every instance caches decrypted webhook secrets and reloads them when this version moves.
INSERT INTO "webhook_config_version" ("id", "version") VALUES (1, 1) ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "webhook_config_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "webhook_config_version" SET "version" = "version" + 1, "updated_at" = now() WHERE "id" = 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "company_webhook_secrets_bump" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "company_webhook_secrets" FOR EACH STATEMENT EXECUTE FUNCTION "webhook_config_bump"();--> statement-breakpoint
CREATE TRIGGER "webhook_settings_bump" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "webhook_settings" FOR EACH STATEMENT EXECUTE FUNCTION "webhook_config_bump"();--> statement-breakpoint
CREATE TRIGGER "companies_webhook_bump" AFTER INSERT OR DELETE OR TRUNCATE ON "companies" FOR EACH STATEMENT EXECUTE FUNCTION "webhook_config_bump"();--> statement-breakpoint
CREATE TRIGGER "companies_webhook_bump_update" AFTER UPDATE OF "slug", "is_default" ON "companies" FOR EACH STATEMENT EXECUTE FUNCTION "webhook_config_bump"();
