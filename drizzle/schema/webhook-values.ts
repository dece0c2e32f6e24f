// The webhook log's vocabularies, free of drizzle imports so the browser (the Webhooks panel's filters) can use them.

/** Why a delivery was accepted or rejected. The first three are accepted. */
export const WEBHOOK_VERDICTS = [
  "verified",
  "verified_previous_secret",
  "unsigned_allowed",
  "missing_signature",
  "no_secret_provided",
  "signature_mismatch",
  "invalid_json",
  "unsupported_content_type",
  "payload_too_large",
  "unknown_tenant",
  /** An unsigned MEETING_STARTED/ENDED (contract §8.5): kept and shown, applied only where the company opts in. */
  "unverified",
] as const;
export type WebhookVerdict = (typeof WEBHOOK_VERDICTS)[number];
export const ACCEPTED_VERDICTS: readonly WebhookVerdict[] = [
  "verified",
  "verified_previous_secret",
  "unsigned_allowed",
];

/** "rejected" = never processed because the verdict refused it. */
export const WEBHOOK_STATUSES = ["pending", "processed", "failed", "duplicate", "ignored", "rejected"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
