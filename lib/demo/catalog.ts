/**
 * The demo tenants, shared by the database seed and the Cal.com sandbox seed so that services and event types line
 * up exactly as they did in the sync incident (team "Friseur", 34209, 18 services matched by name).
 */
export type DemoService = { name: string; eventTypeId: number; slug: string; minutes: number; price: number };
export type DemoTenant = {
  name: string;
  slug: string;
  teamId: number;
  teamSlug: string;
  branch: string;
  staff: { name: string; email: string; calcomUserId: number; calcomUsername: string }[];
  services: DemoService[];
  /** Main event types in Cal.com that have no local service yet (available for import). */
  extraEventTypes: DemoService[];
  /** Multi-step segments ("Färben – Einwirkzeit"), hidden helper event types in Cal.com. */
  multiStepParents: string[];
};

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function service(name: string, eventTypeId: number, minutes: number, price: number): DemoService {
  return { name, eventTypeId, slug: slugify(name), minutes, price };
}

export const FRISEUR: DemoTenant = {
  name: "Friseur",
  slug: "friseur",
  teamId: 34209,
  teamSlug: "friseur",
  branch: "Filiale Innenstadt",
  staff: [
    { name: "Anna Keller", email: "anna@friseur.example", calcomUserId: 1346408, calcomUsername: "anna-keller" },
    { name: "Murat Demir", email: "murat@friseur.example", calcomUserId: 1346409, calcomUsername: "murat-demir" },
    { name: "Lena Vogt", email: "lena@friseur.example", calcomUserId: 1346410, calcomUsername: "lena-vogt" },
  ],
  services: [
    service("Herrenhaarschnitt", 3757770, 30, 32),
    service("Damenhaarschnitt", 3757757, 45, 48),
    service("Kinderhaarschnitt", 3757772, 30, 22),
    service("Waschen, Schneiden, Föhnen", 3757758, 60, 58),
    service("Föhnen & Styling", 3757759, 30, 28),
    service("Bartpflege", 3757760, 20, 18),
    service("Nassrasur", 3757761, 30, 25),
    service("Ansatzfarbe", 3757762, 60, 55),
    service("Komplettfärbung", 3757763, 90, 79),
    service("Strähnchen", 3757764, 90, 85),
    service("Balayage", 3757765, 150, 149),
    service("Dauerwelle", 3757766, 120, 95),
    service("Glättung", 3757767, 120, 110),
    service("Hochsteckfrisur", 3757768, 60, 65),
    service("Brautfrisur", 3757769, 90, 120),
    service("Haarkur", 3757771, 20, 15),
    service("Kopfmassage", 3757773, 15, 12),
    service("Augenbrauen & Wimpern färben", 3757774, 20, 19),
  ],
  extraEventTypes: [service("Typberatung", 3757775, 30, 0)],
  multiStepParents: [
    "Ansatzfarbe",
    "Komplettfärbung",
    "Strähnchen",
    "Balayage",
    "Dauerwelle",
    "Glättung",
    "Brautfrisur",
    "Hochsteckfrisur",
    "Waschen, Schneiden, Föhnen",
  ],
};

export const PRAXIS: DemoTenant = {
  name: "Praxis am Markt",
  slug: "praxis-am-markt",
  teamId: 41877,
  teamSlug: "praxis-am-markt",
  branch: "Praxis am Markt",
  staff: [
    { name: "Dr. Sarah Schmidt", email: "schmidt@praxis.example", calcomUserId: 987650, calcomUsername: "dr.schmidt" },
    { name: "Dr. Jonas Berg", email: "berg@praxis.example", calcomUserId: 987651, calcomUsername: "dr.berg" },
  ],
  // As in the booking-mismatch seed: "Beratung" 30 min (2563193) and a 15 min variant (3664712).
  services: [
    service("Beratung", 2563193, 30, 50),
    service("Kurzberatung", 3664712, 15, 25),
    service("Erstgespräch", 2563194, 45, 80),
    service("Impfung", 2563195, 15, 20),
  ],
  extraEventTypes: [],
  multiStepParents: [],
};

export const DEMO_TENANTS = [FRISEUR, PRAXIS] as const;

/** 26 multi-step helper event types for Friseur: with its 19 main ones, the 45 of the sync incident. */
export function multiStepEventTypes(tenant: DemoTenant): DemoService[] {
  const steps = ["Einwirkzeit", "Auswaschen", "Finish"];
  const out: DemoService[] = [];
  let id = tenant.services[0] ? tenant.services[0].eventTypeId + 1000 : 1;
  for (const parent of tenant.multiStepParents) {
    for (const step of steps) {
      if (out.length >= 26) break;
      out.push(service(`${parent} – ${step}`, id++, 15, 0));
    }
  }
  return out;
}
