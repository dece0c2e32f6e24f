import { describe, expect, it } from "vitest";
import { API_VERSION_DEFAULTS, resolveApiVersion } from "./versions";

describe("resolveApiVersion", () => {
  it("uses the version each family needs (one value for everything reaches legacy controllers)", () => {
    expect(API_VERSION_DEFAULTS.slots).toBe("2024-09-04");
    expect(API_VERSION_DEFAULTS.bookings).toBe("2024-08-13");
    expect(API_VERSION_DEFAULTS.eventTypes).toBe("2024-06-14");
    expect(new Set([API_VERSION_DEFAULTS.slots, API_VERSION_DEFAULTS.bookings, API_VERSION_DEFAULTS.eventTypes]).size).toBe(3);
  });

  it("lets a company override one family without touching the others", () => {
    const overrides = { bookings: "2026-02-25" };
    expect(resolveApiVersion("bookings", overrides)).toBe("2026-02-25");
    expect(resolveApiVersion("slots", overrides)).toBe("2024-09-04");
  });
});
