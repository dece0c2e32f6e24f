DROP INDEX "webhook_deliveries_status_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_company_status_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_verdict_received";--> statement-breakpoint
CREATE INDEX "webhook_deliveries_attention_received" ON "webhook_deliveries" USING btree ("received_at","id") WHERE "webhook_deliveries"."status" in ('failed','rejected','duplicate','ignored');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_refused_received" ON "webhook_deliveries" USING btree ("received_at","id") WHERE "webhook_deliveries"."verdict" not in ('verified','verified_previous_secret','unsigned_allowed');