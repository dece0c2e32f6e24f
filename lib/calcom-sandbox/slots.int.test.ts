import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTestDb } from "@/test/db";
import { berlin, createSandboxFixture, type SandboxFixture } from "./test-fixtures";

// GET /v2/slots: zones, DST, buffers, notice, windows, existing bookings and formats, over real HTTP.
let fx: SandboxFixture;
const HERREN = 3757770; // 30 min
const KOMPLETT = 3757763; // 90 min, buffers 10/15, notice 120
const BALAYAGE = 3757765; // 150 min, window 60 days
const BART = 3757760; // 20 min, interval 15

type Slots = Record<string, { start: string; end?: string }[]>;

beforeAll(async () => {
  fx = await createSandboxFixture(await getTestDb());
});
afterAll(async () => {
  await fx?.close();
});

async function slots(query: string): Promise<Slots> {
  const res = await fx.call(`/v2/slots?${query}`, { version: "2024-09-04", key: null });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: Slots; status: string };
  expect(Object.keys(body)).toEqual(["data", "status"]);
  return body.data;
}

const times = (items: { start: string }[] | undefined) => (items ?? []).map((s) => s.start.slice(11, 16));

async function book(baseId: number, start: string, name = "Test Kunde") {
  return fx.call("/v2/bookings", {
    version: "2024-08-13",
    body: {
      start,
      eventTypeId: fx.et(baseId),
      attendee: { name, email: `${name.replace(/\s/g, ".").toLowerCase()}@example.com`, timeZone: "Europe/Berlin" },
    },
  });
}

describe("GET /v2/slots", () => {
  it("generates the weekly schedule in Europe/Berlin across the DST switch", async () => {
    const berlinData = await slots(
      `eventTypeId=${fx.et(HERREN)}&start=2050-03-25&end=2050-03-28&timeZone=Europe/Berlin`,
    );
    expect(Object.keys(berlinData)).toEqual(["2050-03-25", "2050-03-26", "2050-03-28"]); // Sunday omitted
    expect(berlinData["2050-03-25"]?.[0]?.start).toBe("2050-03-25T09:00:00.000+01:00");
    expect(berlinData["2050-03-25"]).toHaveLength(18); // 09:00–17:30
    expect(times(berlinData["2050-03-26"])).toEqual([
      "09:00",
      "09:30",
      "10:00",
      "10:30",
      "11:00",
      "11:30",
      "12:00",
      "12:30",
      "13:00",
      "13:30",
    ]);
    expect(berlinData["2050-03-28"]?.[0]?.start).toBe("2050-03-28T09:00:00.000+02:00");
    const utc = await slots(`eventTypeId=${fx.et(HERREN)}&start=2050-03-25&end=2050-03-28`);
    expect(utc["2050-03-25"]?.[0]?.start).toBe("2050-03-25T08:00:00.000Z");
    expect(utc["2050-03-28"]?.[0]?.start).toBe("2050-03-28T07:00:00.000Z");
  });

  it("groups days by the requested time zone", async () => {
    const tokyo = await slots(`eventTypeId=${fx.et(HERREN)}&start=2050-09-05&end=2050-09-05&timeZone=Asia/Tokyo`);
    // Berlin 09:00–17:30 (+02:00) is 16:00–00:30 in Tokyo: the last slots fall on the next Tokyo day.
    expect(tokyo["2050-09-05"]?.[0]?.start).toBe("2050-09-05T16:00:00.000+09:00");
    expect(times(tokyo["2050-09-06"])).toEqual(["00:00", "00:30"]);
  });

  it("renders range and time formats (case-insensitive) and honours duration and slotInterval", async () => {
    const range = await slots(
      `eventTypeId=${fx.et(HERREN)}&start=2050-09-05&end=2050-09-05&timeZone=Europe/Berlin&format=RANGE`,
    );
    expect(range["2050-09-05"]?.[0]).toEqual({
      start: "2050-09-05T09:00:00.000+02:00",
      end: "2050-09-05T09:30:00.000+02:00",
    });
    const time = await slots(
      `eventTypeId=${fx.et(HERREN)}&start=2050-09-05&end=2050-09-05&timeZone=Europe/Berlin&format=time`,
    );
    expect(time["2050-09-05"]?.[0]).toEqual({ start: "2050-09-05T09:00:00.000+02:00" });
    const bart = await slots(`eventTypeId=${fx.et(BART)}&start=2050-09-05&end=2050-09-05&timeZone=Europe/Berlin`);
    expect(times(bart["2050-09-05"]).slice(0, 3)).toEqual(["09:00", "09:15", "09:30"]);
  });

  it("finds event types by team slug and keeps hidden ones bookable by id", async () => {
    const bySlug = await slots(
      `eventTypeSlug=herrenhaarschnitt&teamSlug=${fx.tenant.teamSlug}&start=2050-09-05&end=2050-09-05`,
    );
    expect(bySlug["2050-09-05"]).toHaveLength(18);
    const helperId = fx.et(3757770 + 1000); // first multi-step helper: the first service id + 1000
    const hidden = await slots(`eventTypeId=${helperId}&start=2050-09-05&end=2050-09-05`);
    expect(hidden["2050-09-05"]?.length).toBeGreaterThan(0);
  });

  it("rejects unknown keys (slotFormat, startTime) and bad values with 400", async () => {
    for (const [query, text] of [
      [
        `eventTypeId=${fx.et(HERREN)}&start=2050-09-05&end=2050-09-05&slotFormat=range`,
        "property slotFormat should not exist",
      ],
      [`eventTypeId=${fx.et(HERREN)}&startTime=2050-09-05&endTime=2050-09-06`, "property startTime should not exist"],
      [
        `eventTypeId=${fx.et(HERREN)}&username=anna&start=2050-09-05&end=2050-09-05`,
        "property username should not exist",
      ],
      [
        `eventTypeId=${fx.et(HERREN)}&start=2050-09-05&end=2050-09-05&timeZone=Mars/Base`,
        "timeZone must be a valid IANA time-zone",
      ],
    ]) {
      const res = await fx.call(`/v2/slots?${query}`, { version: "2024-09-04" });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("BadRequestException");
      expect(body.error.message).toContain(text!);
    }
    const missing = await fx.call("/v2/slots?eventTypeId=1&start=2050-09-05&end=2050-09-05", { version: "2024-09-04" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe("Event Type not found");
  });

  it("applies buffers around existing bookings and the team's host pool", async () => {
    const at = berlin("2050-09-06", "12:00");
    for (const name of ["Kunde Eins", "Kunde Zwei", "Kunde Drei"])
      expect((await book(HERREN, at, name)).status).toBe(201);
    const fourth = await book(HERREN, at, "Kunde Vier");
    expect(fourth.status).toBe(400);
    expect(((await fourth.json()) as { error: { message: string } }).error.message).toBe(
      "One of the hosts either already has booking at this time or is not available",
    );
    const herren = await slots(`eventTypeId=${fx.et(HERREN)}&start=2050-09-06&end=2050-09-06&timeZone=Europe/Berlin`);
    expect(times(herren["2050-09-06"])).not.toContain("12:00");
    expect(times(herren["2050-09-06"])).toContain("12:30");
    // 90 min with 10 min before and 15 min after: 10:30 would end 12:00 + 15 min buffer, overlapping 12:00–12:30.
    const komplett = await slots(
      `eventTypeId=${fx.et(KOMPLETT)}&start=2050-09-06&end=2050-09-06&timeZone=Europe/Berlin`,
    );
    expect(times(komplett["2050-09-06"])).toEqual(["09:00", "13:30", "15:00", "16:30"]);
  });

  it("frees the slot of the booking being rescheduled", async () => {
    const at = berlin("2050-09-07", "10:00");
    const uids: string[] = [];
    for (const name of ["R Eins", "R Zwei", "R Drei"])
      uids.push(((await (await book(HERREN, at, name)).json()) as { data: { uid: string } }).data.uid);
    const q = `eventTypeId=${fx.et(HERREN)}&start=2050-09-07&end=2050-09-07&timeZone=Europe/Berlin`;
    expect(times((await slots(q))["2050-09-07"])).not.toContain("10:00");
    expect(times((await slots(`${q}&bookingUidToReschedule=${uids[0]}`))["2050-09-07"])).toContain("10:00");
  });

  it("enforces minimum notice and the booking window", async () => {
    const now = Date.now();
    const start = new Date(now).toISOString();
    const end = new Date(now + 4 * 86_400_000).toISOString();
    const data = await slots(`eventTypeId=${fx.et(KOMPLETT)}&start=${start}&end=${end}`);
    const starts = Object.values(data)
      .flat()
      .map((s) => Date.parse(s.start));
    expect(starts.length).toBeGreaterThan(0);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(now + 120 * 60_000 - 1000);
    // Balayage books at most 60 days ahead: nothing in 2050.
    expect(await slots(`eventTypeId=${fx.et(BALAYAGE)}&start=2050-09-05&end=2050-09-09`)).toEqual({});
  });
});
