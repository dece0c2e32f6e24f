/**
 * The support bundle leaves the building: personal data and secrets are masked. Known personal fields are masked by
 * key; emails and phone numbers are masked wherever they appear in text; the attendee's name is masked inside text
 * too (titles like "Haarschnitt between Anna and Kunde" carry it).
 */

const SECRET_KEY = /secret|token|password|authorization|api[-_]?key|signature|cookie/i;
const PERSONAL_KEY =
  /^(name|attendeeName|attendee_name|email|attendeeEmail|attendee_email|phone|phoneNumber|attendeePhone|attendee_phone|attendees|responses|notes|bookingFieldsResponses|cancelledBy)$/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /\+\d[\d ()-]{6,}\d/g;

export function maskEmail(email: string): string {
  const [user = "", domain = ""] = email.split("@");
  const tld = domain.includes(".") ? domain.slice(domain.lastIndexOf(".")) : "";
  return `${user.slice(0, 1)}***@***${tld}`;
}

function maskText(value: string): string {
  if (!value) return value;
  return `${value.slice(0, 1)}***`;
}

function redactString(value: string, names: string[]): string {
  let out = value.replace(EMAIL, maskEmail).replace(PHONE, (p) => `${p.slice(0, 3)}***${p.slice(-2)}`);
  for (const n of names) if (n.length >= 2) out = out.split(n).join(maskText(n));
  return out;
}

export function redactForBundle<T>(value: T, names: string[] = []): T {
  const walk = (v: unknown, key: string | null): unknown => {
    if (key && SECRET_KEY.test(key) && v !== null && v !== undefined && typeof v !== "boolean") return "[redacted]";
    if (key && PERSONAL_KEY.test(key) && v !== null && v !== undefined) {
      if (typeof v === "string") return v.includes("@") ? redactString(v, names) : maskText(v);
      return "[redacted]";
    }
    if (typeof v === "string") return redactString(v, names);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, null) as T;
}
