ALTER TABLE "sandbox_bookings" ADD COLUMN "recurring_booking_uid" text;--> statement-breakpoint
ALTER TABLE "sandbox_bookings" ADD COLUMN "is_reschedule_requested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sandbox_bookings" ADD COLUMN "meeting_payload" jsonb;--> statement-breakpoint
ALTER TABLE "sandbox_event_types" ADD COLUMN "seats_per_time_slot" integer;--> statement-breakpoint
ALTER TABLE "sandbox_event_types" ADD COLUMN "parent_event_type_id" integer;--> statement-breakpoint
ALTER TABLE "sandbox_event_types" ADD COLUMN "recurrence" jsonb;--> statement-breakpoint
ALTER TABLE "webhook_settings" ADD COLUMN "apply_unverified_meetings" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "sandbox_bookings_recurring" ON "sandbox_bookings" USING btree ("recurring_booking_uid") WHERE "sandbox_bookings"."recurring_booking_uid" is not null;