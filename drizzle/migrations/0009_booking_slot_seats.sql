ALTER TABLE "booking_slot_claims" ADD COLUMN "seat" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_slot_claims" DROP CONSTRAINT "booking_slot_claims_company_id_event_type_id_starts_at_pk";--> statement-breakpoint
ALTER TABLE "booking_slot_claims" ADD CONSTRAINT "booking_slot_claims_company_id_event_type_id_starts_at_seat_pk" PRIMARY KEY("company_id","event_type_id","starts_at","seat");
