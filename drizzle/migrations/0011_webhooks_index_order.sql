DROP INDEX "webhook_deliveries_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_company_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_status_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_company_status_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_verdict_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_trigger_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_booking_received";--> statement-breakpoint
DROP INDEX "webhook_deliveries_company_verified";--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received" ON "webhook_deliveries" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_company_received" ON "webhook_deliveries" USING btree ("company_id","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_status_received" ON "webhook_deliveries" USING btree ("status","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_company_status_received" ON "webhook_deliveries" USING btree ("company_id","status","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_verdict_received" ON "webhook_deliveries" USING btree ("verdict","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_trigger_received" ON "webhook_deliveries" USING btree ("trigger_event","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_booking_received" ON "webhook_deliveries" USING btree ("booking_uid","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_company_verified" ON "webhook_deliveries" USING btree ("company_id","received_at") WHERE "webhook_deliveries"."verdict" in ('verified','verified_previous_secret','unsigned_allowed');