import "server-only";
// Registers the freshness sources of the sync and webhook modules (imported by the overview route and page).
export {};
