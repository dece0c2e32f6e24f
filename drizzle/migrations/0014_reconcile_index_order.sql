DROP INDEX "reconcile_runs_company_id";--> statement-breakpoint
DROP INDEX "reconcile_runs_id_desc";--> statement-breakpoint
CREATE INDEX "reconcile_runs_company_id" ON "reconcile_runs" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "reconcile_runs_id_desc" ON "reconcile_runs" USING btree ("id");