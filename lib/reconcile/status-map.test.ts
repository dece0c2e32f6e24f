import { describe, expect, it } from "vitest";
import { comparePair, isLinkCandidate, type LocalRow, type RemoteRow } from "./compare";
import { adoptedLocalStatus, isStatusConsistent, listFilterOf, parseApiStatus } from "./status-map";

describe("the three status vocabularies", () => {
  it("reads API (lowercase) and webhook (uppercase) statuses into one vocabulary", () => {
    expect(parseApiStatus("accepted")).toBe("accepted");
    expect(parseApiStatus("ACCEPTED")).toBe("accepted");
    expect(parseApiStatus("AWAITING_HOST")).toBe("pending");
    expect(parseApiStatus("REJECTED")).toBe("rejected");
    // A list filter is not a booking status.
    expect(parseApiStatus("upcoming")).toBeNull();
  });

  it("maps local statuses to what Cal.com should say", () => {
    expect(isStatusConsistent("confirmed", "accepted")).toBe(true);
    expect(isStatusConsistent("completed", "accepted")).toBe(true);
    expect(isStatusConsistent("no_show", "ACCEPTED")).toBe(true);
    expect(isStatusConsistent("confirmed", "cancelled")).toBe(false);
    expect(isStatusConsistent("cancelled", "rejected")).toBe(false);
    expect(isStatusConsistent("requires_manual_booking", "accepted")).toBe(false);
  });

  it("adopting Cal.com's state keeps facts Cal.com does not track", () => {
    expect(adoptedLocalStatus("accepted", "completed")).toBe("completed");
    expect(adoptedLocalStatus("accepted", "pending")).toBe("confirmed");
    expect(adoptedLocalStatus("cancelled", "confirmed")).toBe("cancelled");
    expect(adoptedLocalStatus("pending", null)).toBe("pending");
  });

  it("places a booking in its list-filter bucket", () => {
    const now = new Date("2030-01-01T12:00:00Z");
    expect(listFilterOf("accepted", new Date("2030-01-02T00:00:00Z"), now)).toBe("upcoming");
    expect(listFilterOf("pending", new Date("2030-01-02T00:00:00Z"), now)).toBe("unconfirmed");
    expect(listFilterOf("accepted", new Date("2029-12-31T00:00:00Z"), now)).toBe("past");
    expect(listFilterOf("rejected", new Date("2030-01-02T00:00:00Z"), now)).toBe("cancelled");
  });
});

describe("comparePair", () => {
  const start = new Date("2030-01-01T09:00:00Z");
  const end = new Date("2030-01-01T09:30:00Z");
  const local: LocalRow = {
    id: 1,
    status: "confirmed",
    startsAt: start,
    endsAt: end,
    calcomEventTypeId: 5,
    calcomBookingUid: "u",
    attendeeName: "A",
    attendeeEmail: "a@x.de",
  };
  const remote: RemoteRow = {
    uid: "u",
    bookingId: 9,
    startsAt: start,
    endsAt: end,
    status: "accepted",
    eventTypeId: 5,
    attendeeName: "A",
    attendeeEmail: "A@x.de",
  };

  it("agrees when status, time and event type match", () => {
    expect(comparePair(local, remote)).toBeNull();
  });

  it("files a pair under the most significant difference and lists every field", () => {
    const found = comparePair(local, {
      ...remote,
      status: "cancelled",
      startsAt: new Date(start.getTime() + 60_000),
      eventTypeId: 6,
    });
    expect(found?.class).toBe("status_mismatch");
    expect(found?.diff.map((d) => d.field)).toEqual(["status", "start", "eventTypeId"]);
    expect(comparePair(local, { ...remote, eventTypeId: 6 })?.class).toBe("event_type_mismatch");
    expect(comparePair(local, { ...remote, endsAt: new Date(end.getTime() + 60_000) })?.class).toBe("time_mismatch");
  });

  it("link candidates share start, event type and attendee (case-insensitive)", () => {
    expect(isLinkCandidate(local, remote)).toBe(true);
    expect(isLinkCandidate(local, { ...remote, attendeeEmail: "b@x.de" })).toBe(false);
    expect(isLinkCandidate({ ...local, calcomEventTypeId: null }, remote)).toBe(true);
  });
});
