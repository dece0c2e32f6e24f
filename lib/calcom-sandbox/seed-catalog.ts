import type { SandboxBookingField, SandboxSchedule } from "@/drizzle/schema/sandbox";
import { DEMO_TENANTS, multiStepEventTypes, type DemoService, type DemoTenant } from "@/lib/demo/catalog";

/**
 * How the demo catalog becomes Cal.com event types. Ids and titles come from lib/demo/catalog.ts so that they match
 * the local services; the settings below give the slot debugger something to explain (buffers, notice, windows).
 */

export const SANDBOX_TIME_ZONE = "Europe/Berlin";

export const DEFAULT_SCHEDULE: SandboxSchedule = {
  timeZone: SANDBOX_TIME_ZONE,
  weekly: {
    "1": [["09:00", "18:00"]],
    "2": [["09:00", "18:00"]],
    "3": [["09:00", "18:00"]],
    "4": [["09:00", "18:00"]],
    "5": [["09:00", "18:00"]],
    "6": [["09:00", "14:00"]],
  },
};

type Tuning = Partial<{
  beforeEventBuffer: number;
  afterEventBuffer: number;
  minimumBookingNotice: number;
  slotInterval: number;
  bookingWindowDays: number;
  requiresConfirmation: boolean;
}>;

/** Keyed by catalog event type id (the base catalog's; derived tenants shift ids by their offset). */
const EVENT_TYPE_TUNING: Record<number, Tuning> = {
  3757763: { beforeEventBuffer: 10, afterEventBuffer: 15, minimumBookingNotice: 120 }, // Komplettfärbung
  3757765: { afterEventBuffer: 30, minimumBookingNotice: 120, bookingWindowDays: 60 }, // Balayage
  3757760: { slotInterval: 15 }, // Bartpflege
  2563194: { requiresConfirmation: true, minimumBookingNotice: 120 }, // Erstgespräch
  2563195: { beforeEventBuffer: 5, afterEventBuffer: 10 }, // Impfung
};

function field(slug: string, type: string, label: string, required: boolean, hidden = false): SandboxBookingField {
  return { slug, type, label, required, hidden, isDefault: true };
}

/** Cal.com's default system fields; the practice also requires a phone number. */
export function bookingFieldsFor(tenant: DemoTenant): SandboxBookingField[] {
  const requiresPhone = tenant.slug.startsWith("praxis");
  return [
    field("name", "name", "Your name", true),
    field("email", "email", "Email address", true),
    field("attendeePhoneNumber", "phone", "Phone number", requiresPhone, !requiresPhone),
    field("location", "radioInput", "Location", false),
    field("title", "text", "What is this meeting about?", false, true),
    field("notes", "textarea", "Additional notes", false),
    field("guests", "multiemail", "Add guests", false),
    field("rescheduleReason", "textarea", "Reason for reschedule", false),
  ];
}

export type CatalogEventType = DemoService & { hidden: boolean; tuning: Tuning };

/** Main services, the extra event types and the hidden multi-step helpers (Friseur: 18 + 1 + 26 = 45). */
export function catalogEventTypes(tenant: DemoTenant, idOffset = 0): CatalogEventType[] {
  const visible = [...tenant.services, ...tenant.extraEventTypes].map((s) => ({ ...s, hidden: false }));
  const helpers = multiStepEventTypes(tenant).map((s) => ({ ...s, hidden: true }));
  return [...visible, ...helpers].map((s) => ({ ...s, tuning: EVENT_TYPE_TUNING[s.eventTypeId - idOffset] ?? {} }));
}

export function findCatalogTenant(slug: string): DemoTenant | null {
  return DEMO_TENANTS.find((t) => t.slug === slug) ?? null;
}

/**
 * A copy of a catalog tenant under another team id, with user and event type ids shifted by `idOffset` and slugs
 * suffixed: integration tests seed their own copy so that they share no rows with other tests.
 */
export function deriveDemoTenant(base: DemoTenant, opts: { teamId: number; idOffset: number }): DemoTenant {
  const suffix = `-${opts.teamId}`;
  const shift = (s: DemoService): DemoService => ({ ...s, eventTypeId: s.eventTypeId + opts.idOffset });
  return {
    ...base,
    slug: base.slug,
    teamId: opts.teamId,
    teamSlug: `${base.teamSlug}${suffix}`,
    staff: base.staff.map((s) => ({
      ...s,
      calcomUserId: s.calcomUserId + opts.idOffset,
      calcomUsername: `${s.calcomUsername}${suffix}`,
    })),
    services: base.services.map(shift),
    extraEventTypes: base.extraEventTypes.map(shift),
  };
}

/** The user that owns a tenant's API key: a team owner with no event types of its own (the incident's setup). */
export function keyUserFor(tenant: DemoTenant) {
  return {
    id: 800_000_000 + (tenant.teamId % 100_000_000),
    username: `${tenant.teamSlug}-admin`,
    email: `admin@${tenant.teamSlug}.example`,
    name: `${tenant.name} Admin`,
  };
}
