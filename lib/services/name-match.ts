/**
 * How a service name is matched: the one rule used by sync (service ↔ event type), the booking flow and the slot
 * debugger (the caller's words → service), service aliases, webhooks and the review queue. Callers say
 * "herrenhaarschnitt", "Herren Haarschnitt", "Foehnen & Styling" or "Fohnen und Styling" and Cal.com titles them
 * "Herrenhaarschnitt" and "Föhnen & Styling": case, spacing, punctuation and accents do not matter, umlauts are
 * spelled out (ä = ae, ß = ss), and "&" and "+" read as "und". Two rules here would let availability and booking
 * pick different event types, the incident this product exists to prevent.
 */

const SPELLED_OUT: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", æ: "ae", œ: "oe" };

/** The strict key: two names with the same key are the same service. */
export function serviceNameKey(name: string): string {
  return name
    .normalize("NFC")
    .toLowerCase() // also folds ẞ to ß
    .replace(/[äöüßæœ]/g, (c) => SPELLED_OUT[c] ?? c)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "") // remaining accents: é = e
    .replace(/[&+]/g, " und ")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The loose key: also matches umlauts typed without their e ("Fohnen" for "Föhnen") and s for ss. */
export function looseServiceNameKey(name: string): string {
  return serviceNameKey(name).replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u").replace(/ss/g, "s");
}

/** Levenshtein distance, for "did you mean" lists. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** How close a query is to a name (lower is closer), or null when it is not worth suggesting. */
export function nameCloseness(query: string, name: string): number | null {
  const q = looseServiceNameKey(query);
  const n = looseServiceNameKey(name);
  if (!q || !n) return null;
  if (n.includes(q) || q.includes(n)) return Math.abs(n.length - q.length) / Math.max(n.length, q.length);
  const d = editDistance(q, n);
  const limit = Math.max(2, Math.floor(Math.max(q.length, n.length) / 3));
  return d <= limit ? 1 + d / Math.max(q.length, n.length) : null;
}
