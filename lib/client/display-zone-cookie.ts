/** The cookie holding a zone the viewer chose once in the header (read by the server layout, written by the picker). */
export const DISPLAY_ZONE_COOKIE = "calcom-diag-tz";
