import { describe, expect, it } from "vitest";
import { API_VERSION_DEFAULTS, apiVersionProblem, resolveApiVersion } from "./versions";

describe("resolveApiVersion", () => {
  it("uses the version each family needs (one value for everything reaches legacy controllers)", () => {
    expect(API_VERSION_DEFAULTS.slots).toBe("2024-09-04");
    expect(API_VERSION_DEFAULTS.bookings).toBe("2024-08-13");
    expect(API_VERSION_DEFAULTS.eventTypes).toBe("2024-06-14");
    expect(
      new Set([API_VERSION_DEFAULTS.slots, API_VERSION_DEFAULTS.bookings, API_VERSION_DEFAULTS.eventTypes]).size,
    ).toBe(3);
  });

  it("lets a company override one family without touching the others", () => {
    const overrides = { bookings: "2026-02-25" };
    expect(resolveApiVersion("bookings", overrides)).toBe("2026-02-25");
    expect(resolveApiVersion("slots", overrides)).toBe("2024-09-04");
  });
});

describe("apiVersionProblem", () => {
  it("accepts only the values each family is served with and names the field and the allowed values otherwise", () => {
    expect(apiVersionProblem("bookings", "2026-02-25")).toBeNull();
    expect(apiVersionProblem("slotsLegacy", "2024-06-14")).toBeNull();
    expect(apiVersionProblem("teams", "2024-09-04")).toBeNull();
    expect(apiVersionProblem("bookings", "2024-08-31")).toBe(
      'calcomApiVersions.bookings: "2024-08-31" is not a cal-api-version Cal.com serves bookings with; allowed: 2024-08-13, 2026-02-25. Cal.com does not reject unknown values, it silently routes them to its legacy handlers.',
    );
    expect(apiVersionProblem("slots", "2024-08-13")).toMatch(/^calcomApiVersions\.slots: .*allowed: 2024-09-04\./);
    expect(apiVersionProblem("me", "2099-01-01")).toMatch(
      /allowed: 2024-04-15, 2024-06-11, 2024-06-14, 2024-08-13, 2024-09-04, 2026-02-25\./,
    );
  });
});
