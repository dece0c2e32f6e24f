/**
 * The name key used to match a local service to a Cal.com event type when no event type id links them: case,
 * spacing, punctuation, German umlauts (ä = ae) and ß (= ss) do not matter, so "Föhnen & Styling",
 * "foehnen  &  styling" and "FÖHNEN & STYLING" are one name.
 */
export function normalizeName(name: string): string {
  return name
    .normalize("NFC")
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/\p{M}/gu, "") // remaining accents: é = e
    .replace(/&/g, " und ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
