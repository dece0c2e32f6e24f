import { describe, expect, it } from "vitest";
import { maskEmail, redactForBundle } from "./redact";

describe("redactForBundle", () => {
  it("masks personal fields by key, emails and phones anywhere, the attendee's name inside text, and drops secrets", () => {
    const input = {
      attendee: { name: "Greta Kundin", email: "greta@example.com", phone: "+4930123456789" },
      events: [
        {
          title: "booking.cancel by ops@salon.de",
          detail: "Greta Kundin called from +49 30 1234567 about greta@example.com",
        },
        {
          data: {
            headers: { authorization: "Bearer cal_live_abc", "x-cal-signature-256": "deadbeef" },
            apiKey: "cal_live_x",
            hasSecret: true,
            count: 3,
          },
        },
      ],
    };
    expect(redactForBundle(input, ["Greta Kundin", "Greta", "Kundin"])).toEqual({
      attendee: { name: "G***", email: "g***@***.com", phone: "+***" },
      events: [
        { title: "booking.cancel by o***@***.de", detail: "G*** called from +49***67 about g***@***.com" },
        {
          data: {
            headers: { authorization: "[redacted]", "x-cal-signature-256": "[redacted]" },
            apiKey: "[redacted]",
            hasSecret: true,
            count: 3,
          },
        },
      ],
    });
  });

  it("keeps nulls and non-personal values", () => {
    expect(
      redactForBundle({ attendee: { name: null, email: null }, status: "confirmed", uids: ["abcDEF123"] }),
    ).toEqual({ attendee: { name: null, email: null }, status: "confirmed", uids: ["abcDEF123"] });
    expect(maskEmail("x@y.org")).toBe("x***@***.org");
  });
});
