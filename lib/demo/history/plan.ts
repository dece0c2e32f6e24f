import { zonedDateKey, zonedToUtc, zonedWeekday } from "@/lib/time/zoned";
import { DEMO_TENANTS, FRISEUR, PRAXIS, type DemoTenant } from "../catalog";

/**
 * The demo week as a list of steps at past instants, decided by a seeded PRNG only (the same seed and "now" give the
 * same plan). The runner (run.ts) replays each step through the real code at its instant. Times are Europe/Berlin.
 */
const HISTORY_DAYS = 7;
const DEFAULT_HISTORY_SEED = 20_251_104;
const TZ = "Europe/Berlin";
const MINUTE = 60_000;

export type Caller = { name: string; email?: string; phone?: string };
export type Step = { at: Date; tenant: string } & (
  | {
      kind: "call";
      service: string;
      daysAhead: number;
      caller: Caller;
      books: boolean;
      pick: number;
      idempotencyKey: string;
    }
  | { kind: "cancel" | "reschedule"; pick: number }
  | { kind: "sync"; checkOnly: boolean }
  | { kind: "evaluate-alerts" }
  | { kind: "outage-start" | "outage-end" | "recover" | "walk-in" }
  | { kind: "sync-incident-start" | "sync-incident-end" }
  | { kind: "rotate-secret"; phase: "add" | "switch-calcom" | "retire-old" }
  | { kind: "rejected-delivery"; variant: "wrong-secret" | "missing-signature" | "form-encoded" }
  | { kind: "calcom-side-change"; change: "cancel" | "move" | "pause-webhook" | "resume-webhook" | "hide-event-type" }
  | { kind: "reconcile" }
);

/** mulberry32: small, fast and good enough for a demo's dice. */
export function createPrng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Hans",
  "Maria",
  "Jonas",
  "Sophie",
  "Paul",
  "Emma",
  "Felix",
  "Mia",
  "Lukas",
  "Lea",
  "Ben",
  "Hannah",
  "Elias",
  "Lina",
  "Noah",
  "Clara",
];
const LAST = [
  "Schuster",
  "Weber",
  "Fischer",
  "Wagner",
  "Becker",
  "Hoffmann",
  "Schulz",
  "Koch",
  "Richter",
  "Klein",
  "Wolf",
  "Neumann",
];

export function caller(rand: () => number, n: number): Caller {
  const name = `${FIRST[Math.floor(rand() * FIRST.length)]!} ${LAST[Math.floor(rand() * LAST.length)]!}`;
  // The salon's event types require an email, the practice's a phone number: the agent asks for both.
  return {
    name,
    email: `${name.toLowerCase().replace(/\s+/g, ".")}.${n}@example.com`,
    phone: `+49151${String(10_000_000 + n * 7919).slice(0, 8)}`,
  };
}

/** The instant of a Berlin wall-clock time on the day `dayOffset` days before `now`. */
function berlin(now: Date, dayOffset: number, hour: number, minute: number): Date {
  const [y, m, d] = zonedDateKey(new Date(now.getTime() + dayOffset * 86_400_000), TZ)
    .split("-")
    .map(Number) as [number, number, number];
  return zonedToUtc({ year: y, month: m, day: d, hour, minute }, TZ);
}

const minutes = (from: Date, n: number) => new Date(from.getTime() + n * MINUTE);

function dayOfCalls(
  steps: Step[],
  rand: () => number,
  tenant: DemoTenant,
  now: Date,
  day: number,
  counter: { n: number },
) {
  const weekday = zonedWeekday(berlin(now, day, 12, 0), TZ);
  // Callers ring on Sundays too (the agent answers and offers Monday); fewer of them.
  const calls = weekday === 7 ? 1 : tenant === FRISEUR ? 3 + Math.floor(rand() * 3) : 2 + Math.floor(rand() * 2);
  for (let i = 0; i < calls; i++) {
    const at = berlin(now, day, 8 + Math.floor(rand() * 11), Math.floor(rand() * 60));
    const service = tenant.services[Math.floor(rand() * tenant.services.length)]!.name;
    counter.n++;
    steps.push({
      at,
      tenant: tenant.slug,
      kind: "call",
      service,
      daysAhead: 1 + Math.floor(rand() * 5),
      caller: caller(rand, counter.n),
      books: rand() < 0.75,
      pick: rand(),
      idempotencyKey: `demo-call-${tenant.slug}-${counter.n}`,
    });
    if (rand() < 0.18)
      steps.push({ at: minutes(at, 60 + Math.floor(rand() * 240)), tenant: tenant.slug, kind: "cancel", pick: rand() });
    else if (rand() < 0.15)
      steps.push({
        at: minutes(at, 45 + Math.floor(rand() * 200)),
        tenant: tenant.slug,
        kind: "reschedule",
        pick: rand(),
      });
  }
  // The scheduled event-type sync; its two-hourly cadence is thinned to one run a day to keep the replay short.
  steps.push({
    at: berlin(now, day, 6, 30 + Math.floor(rand() * 20)),
    tenant: tenant.slug,
    kind: "sync",
    checkOnly: false,
  });
}

/** The whole week, sorted by time; everything happens strictly before `now`. */
export function planHistory(opts: { now: Date; seed?: number }): Step[] {
  const rand = createPrng(opts.seed ?? DEFAULT_HISTORY_SEED);
  const { now } = opts;
  const steps: Step[] = [];
  const counter = { n: 0 };
  for (let day = -HISTORY_DAYS; day <= 0; day++) {
    for (const tenant of DEMO_TENANTS) dayOfCalls(steps, rand, tenant, now, day, counter);
    for (const hour of [9, 15, 23])
      steps.push({ at: berlin(now, day, hour, 55), tenant: FRISEUR.slug, kind: "evaluate-alerts" });
  }
  const f = FRISEUR.slug;
  // Day -5: Cal.com answers 503 for 40 minutes: the circuit opens, calls go to the manual queue, then it recovers.
  const outage = berlin(now, -5, 10, 5);
  steps.push({ at: outage, tenant: f, kind: "outage-start" });
  for (let i = 0; i < 7; i++) {
    counter.n++;
    steps.push({
      at: minutes(outage, 2 + i * 5),
      tenant: f,
      kind: "call",
      service: FRISEUR.services[i % 4]!.name,
      daysAhead: 1 + (i % 3),
      caller: caller(rand, counter.n),
      books: i !== 2,
      pick: rand(),
      idempotencyKey: `demo-call-${f}-${counter.n}`,
    });
    steps.push({ at: minutes(outage, 4 + i * 5), tenant: f, kind: "evaluate-alerts" });
  }
  steps.push({ at: minutes(outage, 40), tenant: f, kind: "outage-end" });
  steps.push({ at: minutes(outage, 41), tenant: f, kind: "walk-in" });
  steps.push({ at: minutes(outage, 42), tenant: f, kind: "recover" });
  steps.push({ at: minutes(outage, 43), tenant: f, kind: "evaluate-alerts" });
  // Day -3: the event-type list answers [] (the original incident); the safety rule aborts and raises an alert.
  const incident = berlin(now, -3, 14, 0);
  steps.push({ at: incident, tenant: f, kind: "sync-incident-start" });
  steps.push({ at: minutes(incident, 1), tenant: f, kind: "sync", checkOnly: false });
  steps.push({ at: minutes(incident, 31), tenant: f, kind: "sync", checkOnly: false });
  steps.push({ at: minutes(incident, 50), tenant: f, kind: "sync-incident-end" });
  steps.push({ at: minutes(incident, 55), tenant: f, kind: "sync", checkOnly: true });
  steps.push({ at: minutes(incident, 61), tenant: f, kind: "sync", checkOnly: false });
  // Day -2: the webhook secret is rotated; until Cal.com has the new one, deliveries verify with the previous secret.
  const rotation = [
    [-2, 9, 0, "add"],
    [-2, 16, 30, "switch-calcom"],
    [-1, 9, 15, "retire-old"],
  ] as const;
  for (const [day, hour, minute, phase] of rotation)
    steps.push({ at: berlin(now, day, hour, minute), tenant: f, kind: "rotate-secret", phase });
  // Callers who book while both secrets are on file, so the story has its deliveries whatever the weekday (a Sunday
  // has one call of its own, which may fall outside the window). Fixed dice: the week's other draws stay as they are.
  for (const [i, [hour, minute]] of (
    [
      [10, 40],
      [13, 5],
      [15, 20],
    ] as const
  ).entries()) {
    counter.n++;
    steps.push({
      at: berlin(now, -2, hour, minute),
      tenant: f,
      kind: "call",
      service: FRISEUR.services[i]!.name,
      daysAhead: 2 + i,
      caller: caller(() => (i + 1) / 4, counter.n),
      books: true,
      pick: 0.5,
      idempotencyKey: `demo-call-${f}-${counter.n}`,
    });
  }
  // Rejected deliveries: a staging system with the wrong secret, a proxy that dropped the header, a form-encoded template.
  const rejected = [
    [-6, 13, 12, f, "wrong-secret"],
    [-4, 17, 40, PRAXIS.slug, "missing-signature"],
    [-2, 11, 3, f, "wrong-secret"],
    [-1, 15, 20, f, "form-encoded"],
  ] as const;
  for (const [day, hour, minute, tenant, variant] of rejected)
    steps.push({ at: berlin(now, day, hour, minute), tenant, kind: "rejected-delivery", variant });
  // Day -6: the practice hides "Impfung" in Cal.com; after three missed syncs the service waits in the review queue.
  // Day -1: the salon changes two bookings in Cal.com while the subscription is paused; the nightly reconcile finds it.
  const sideChanges = [
    [-6, 19, 0, PRAXIS.slug, "hide-event-type"],
    [-1, 12, 0, f, "pause-webhook"],
    [-1, 12, 10, f, "cancel"],
    [-1, 12, 20, f, "move"],
    [-1, 13, 0, f, "resume-webhook"],
  ] as const;
  for (const [day, hour, minute, tenant, change] of sideChanges)
    steps.push({ at: berlin(now, day, hour, minute), tenant, kind: "calcom-side-change", change });
  steps.push({ at: berlin(now, -1, 22, 30), tenant: f, kind: "reconcile" });
  const horizon = now.getTime() - 2 * MINUTE;
  return steps
    .filter((s) => s.at.getTime() < horizon && s.at.getTime() >= now.getTime() - (HISTORY_DAYS + 1) * 86_400_000)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
