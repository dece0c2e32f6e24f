import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { companies, services } from "@/drizzle/schema/core";
import type { SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { startProxy } from "@/lib/calcom/client-test-helpers";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { zonedToUtc, zonedWeekday } from "@/lib/time/zoned";

/** A company pointed at a sandbox fixture, with local services matching the fixture's event types. */
export async function createBookingCompany(
  db: Db,
  fx: SandboxFixture,
  apiKey = fx.apiKey,
  opts: { url?: string } = {},
) {
  const slug = `booking-it-${Date.now()}-${randomBytes(3).toString("hex")}`;
  const [company] = await db
    .insert(companies)
    .values({
      name: slug,
      slug,
      calcomApiUrl: opts.url ?? fx.url,
      calcomApiKeyEnc: encryptSecret(apiKey),
      calcomApiKeyLast4: apiKey.slice(-4),
      calcomTeamId: fx.teamId,
    })
    .returning();
  const rows = await db
    .insert(services)
    .values(
      fx.tenant.services.map((s) => ({
        companyId: company!.id,
        name: s.name,
        calcomEventTypeId: s.eventTypeId,
        durationMinutes: s.minutes,
      })),
    )
    .returning();
  const byName = (name: string) => {
    const s = rows.find((r) => r.name === name);
    if (!s) throw new Error(`no service ${name}`);
    return s;
  };
  return { company: company!, services: rows, byName };
}

export async function deactivate(db: Db, serviceId: number) {
  await db.update(services).set({ isActive: false }).where(eq(services.id, serviceId));
}

/** A weekday (Mon..Fri) at least `daysAhead` days from now, at hh:mm Berlin time, as a Date. */
export function futureWeekday(daysAhead: number, time: string): Date {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  for (;;) {
    const wd = zonedWeekday(d, "Europe/Berlin");
    if (wd >= 1 && wd <= 5) break;
    d.setTime(d.getTime() + 86_400_000);
  }
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Berlin",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  })
    .format(d)
    .split("-")
    .map(Number) as [number, number, number];
  return zonedToUtc({ year: parts[0], month: parts[1], day: parts[2], hour, minute }, "Europe/Berlin");
}

/**
 * A proxy in front of the sandbox that, while `loseAnswers` is on, forwards POST /v2/bookings, lets Cal.com create the
 * booking, and then answers 504 instead of Cal.com's 201: the "timeout after Cal.com created the booking" case.
 */
export async function startLossyProxy(target: string) {
  const state = { loseAnswers: false, lost: 0 };
  const proxy = await startProxy(target, (req, url) => {
    if (!(state.loseAnswers && req.method === "POST" && url.pathname === "/v2/bookings")) return;
    return (answer, res) => {
      answer.resume();
      answer.on("end", () => {
        state.lost++;
        res.writeHead(504, { "content-type": "text/plain" });
        res.end("Gateway Timeout");
      });
      return true;
    };
  });
  return { ...proxy, state };
}
