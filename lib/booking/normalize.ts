/**
 * Service-name folding for the phone platform: callers say "herrenhaarschnitt", "Herren Haarschnitt",
 * "Foehnen & Styling" or "Fohnen und Styling" and all must land on the same service.
 */

const UMLAUTS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", æ: "ae", œ: "oe" };

/** Strict form: case, spacing, punctuation and diacritics removed; umlauts spelled out (ä → ae, ß → ss); & → und. */
export function foldServiceName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüßæœ]/g, (c) => UMLAUTS[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&|\+/g, " und ")
    .replace(/[^a-z0-9]+/g, "");
}

/** Loose form: also matches umlauts typed without their e ("Fohnen" for "Föhnen") and ss/s variants. */
export function looseServiceName(name: string): string {
  return foldServiceName(name).replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u").replace(/ss/g, "s");
}

/** Levenshtein distance, for "did you mean" lists. */
export function editDistance(a: string, b: string): number {
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
export function closeness(query: string, name: string): number | null {
  const q = looseServiceName(query);
  const n = looseServiceName(name);
  if (!q || !n) return null;
  if (n.includes(q) || q.includes(n)) return Math.abs(n.length - q.length) / Math.max(n.length, q.length);
  const d = editDistance(q, n);
  const limit = Math.max(2, Math.floor(Math.max(q.length, n.length) / 3));
  return d <= limit ? 1 + d / Math.max(q.length, n.length) : null;
}
