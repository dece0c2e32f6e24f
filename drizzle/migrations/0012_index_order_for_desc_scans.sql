DROP INDEX "alerts_status_id";--> statement-breakpoint
DROP INDEX "alerts_company_id";--> statement-breakpoint
DROP INDEX "outbox_messages_id_desc";--> statement-breakpoint
DROP INDEX "outbox_messages_company_id";--> statement-breakpoint
DROP INDEX "circuit_events_company_id";--> statement-breakpoint
DROP INDEX "audit_log_id_desc";--> statement-breakpoint
DROP INDEX "audit_log_company_id";--> statement-breakpoint
DROP INDEX "audit_log_action_id";--> statement-breakpoint
DROP INDEX "sandbox_webhook_deliveries_id_desc";--> statement-breakpoint
DROP INDEX "slot_queries_company_id";--> statement-breakpoint
DROP INDEX "slot_queries_company_event_type_id";--> statement-breakpoint
DROP INDEX "sync_runs_company_id";--> statement-breakpoint
DROP INDEX "sync_runs_id_desc";--> statement-breakpoint
CREATE INDEX "alerts_status_id" ON "alerts" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "alerts_company_id" ON "alerts" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "outbox_messages_id_desc" ON "outbox_messages" USING btree ("id");--> statement-breakpoint
CREATE INDEX "outbox_messages_company_id" ON "outbox_messages" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "circuit_events_company_id" ON "circuit_events" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_id_desc" ON "audit_log" USING btree ("id");--> statement-breakpoint
CREATE INDEX "audit_log_company_id" ON "audit_log" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_id" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "sandbox_webhook_deliveries_id_desc" ON "sandbox_webhook_deliveries" USING btree ("id");--> statement-breakpoint
CREATE INDEX "slot_queries_company_id" ON "slot_queries" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "slot_queries_company_event_type_id" ON "slot_queries" USING btree ("company_id","event_type_id","id");--> statement-breakpoint
CREATE INDEX "sync_runs_company_id" ON "sync_runs" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "sync_runs_id_desc" ON "sync_runs" USING btree ("id");