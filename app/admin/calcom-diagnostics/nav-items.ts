export const NAV_ITEMS = [
  { href: "", label: "Overview" },
  { href: "/circuit", label: "Circuit" },
  { href: "/sync-runs", label: "Sync runs" },
  { href: "/services-review", label: "Services review" },
  { href: "/webhooks", label: "Webhooks" },
  { href: "/bookings", label: "Bookings" },
  { href: "/slot-debugger", label: "Slot debugger" },
  { href: "/reconciliation", label: "Reconciliation" },
  { href: "/metrics", label: "Metrics" },
  { href: "/raw-api", label: "Raw API" },
  { href: "/audit", label: "Audit" },
  { href: "/sandbox", label: "Sandbox" },
  { href: "/settings", label: "Settings" },
] as const;

export const BASE_PATH = "/admin/calcom-diagnostics";
