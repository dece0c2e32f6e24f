// Cal.com-shaped webhook bodies (shared/calcom-v2.md §4.2) for the tests and the ingest benchmark: pure, no imports,
// so a child process or the load generator can use them without the app.

export type BookingOpts = {
  uid: string;
  bookingId?: number;
  eventTypeId?: number;
  start?: string;
  minutes?: number;
  status?: string;
  createdAt?: string;
  attendeeEmail?: string;
  extra?: Record<string, unknown>;
};

/** A booking trigger envelope: {triggerEvent, createdAt (send time), payload}. */
export function sampleBookingBody(trigger: string, o: BookingOpts): Record<string, unknown> {
  const start = new Date(o.start ?? "2050-03-02T09:00:00Z");
  const end = new Date(start.getTime() + (o.minutes ?? 30) * 60_000);
  const status =
    o.status ??
    (
      { BOOKING_REQUESTED: "PENDING", BOOKING_CANCELLED: "CANCELLED", BOOKING_REJECTED: "REJECTED" } as Record<
        string,
        string
      >
    )[trigger] ??
    "ACCEPTED";
  return {
    triggerEvent: trigger,
    createdAt: o.createdAt ?? new Date().toISOString(),
    payload: {
      type: "herrenhaarschnitt",
      title: "Herrenhaarschnitt between Anna and Kunde",
      startTime: start.toISOString(),
      endTime: end.toISOString().replace(".000Z", "+00:00"),
      organizer: {
        id: 1,
        name: "Anna",
        email: "anna@example.com",
        timeZone: "Europe/Berlin",
        language: { locale: "de" },
        utcOffset: 60,
      },
      attendees: [
        {
          name: "Kunde",
          email: o.attendeeEmail ?? "kunde@example.com",
          timeZone: "Europe/Berlin",
          language: { locale: "de" },
          utcOffset: 60,
        },
      ],
      responses: { name: { label: "your_name", value: "Kunde" } },
      uid: o.uid,
      bookingId: o.bookingId ?? Math.floor(Math.random() * 1_000_000),
      eventTypeId: o.eventTypeId ?? null,
      length: o.minutes ?? 30,
      status,
      metadata: {},
      ...o.extra,
    },
  };
}
