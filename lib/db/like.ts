/** ILIKE pattern for "contains", as people type: "%" and "_" are literal characters, not wildcards. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** ILIKE pattern for "starts with" (a uid prefix). */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
