/**
 * How a time is shown, everywhere (panels, staff notifications, API error text): one format, 24-hour, the zone named,
 * the locale and the zone always explicit. Never call toLocale*String() without both.
 */
import { zonedParts, zonedToUtc, zoneOffsetMinutes } from "./zoned";

const LOCALE = "en-GB";
const pad = (n: number) => String(n).padStart(2, "0");
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

type When = Date | string | number;
const toDate = (d: When) => (d instanceof Date ? d : new Date(d));

/** "CET", "CEST", "EST", "UTC"; a GMT offset where the zone has no common abbreviation. */
export function zoneAbbreviation(date: When, timeZone: string): string {
  const d = toDate(date);
  for (const locale of [LOCALE, "en-US"]) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")?.value;
    if (name && !/^GMT[+-]/.test(name)) return name;
  }
  const off = zoneOffsetMinutes(d, timeZone);
  return `UTC${off >= 0 ? "+" : "-"}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

export type FormatOptions = { seconds?: boolean; weekday?: boolean; zoneName?: boolean };

/** "2026-12-07 09:23 CET" (optionally "Mon 2026-12-07 09:23:51 CET"). */
export function formatDateTime(date: When, timeZone: string, options: FormatOptions = {}): string {
  const d = toDate(date);
  if (Number.isNaN(d.getTime())) return "invalid date";
  const p = zonedParts(d, timeZone);
  const day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  const clock = `${pad(p.hour)}:${pad(p.minute)}${options.seconds ? `:${pad(p.second)}` : ""}`;
  const weekday = options.weekday ? `${WEEKDAYS[weekdayIndex(d, timeZone)]} ` : "";
  const zone = options.zoneName === false ? "" : ` ${zoneAbbreviation(d, timeZone)}`;
  return `${weekday}${day} ${clock}${zone}`;
}

/** A time as staff notifications and API errors state it: "Mon 2026-12-07 09:00 CET (Europe/Berlin)". */
export function formatLocal(date: When, timeZone: string): string {
  return `${formatDateTime(date, timeZone, { weekday: true })} (${timeZone})`;
}

/** "2026-12-07" in the zone. */
export function formatDate(date: When, timeZone: string): string {
  const p = zonedParts(toDate(date), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "09:23" in the zone (24-hour). */
export function formatClock(date: When, timeZone: string): string {
  const p = zonedParts(toDate(date), timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "just now", "in 5 min", "3 h ago", "2 days ago": for the absolute time, use formatDateTime (as a tooltip). */
export function formatRelative(date: When, now: When = Date.now()): string {
  const diff = toDate(date).getTime() - toDate(now).getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  const minutes = Math.round(abs / 60_000);
  const text =
    minutes < 60
      ? `${minutes} min`
      : minutes < 48 * 60
        ? plural(Math.round(minutes / 60), "h", "h")
        : plural(Math.round(minutes / 1440), "day");
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** A duration in minutes as people say it: "45 min", "2 h", "1 day", "1 day 6 h". */
export function formatMinutes(total: number): string {
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  return [days ? plural(days, "day") : "", hours ? `${hours} h` : "", minutes ? `${minutes} min` : ""]
    .filter(Boolean)
    .join(" ");
}

/** "1 try", "2 tries": the count and the noun that agrees with it. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Value for <input type="datetime-local"> showing the instant on the zone's wall clock. */
export function toDateTimeLocalValue(date: When, timeZone: string): string {
  const p = zonedParts(toDate(date), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The instant a datetime-local value names on the zone's wall clock; null when it is not one. */
export function fromDateTimeLocalValue(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [, year, month, day, hour, minute] = m.map(Number) as [number, number, number, number, number, number];
  return zonedToUtc({ year, month, day, hour, minute }, timeZone);
}

/** Chart axis tick in the zone, 24-hour: "09:00" within a day and a half, "07 Dec 09:00" beyond. */
export function formatAxisTick(ms: number, timeZone: string, spanMs: number): string {
  const p = zonedParts(new Date(ms), timeZone);
  const clock = `${pad(p.hour)}:${pad(p.minute)}`;
  if (spanMs <= 36 * 3_600_000) return clock;
  const month = new Intl.DateTimeFormat(LOCALE, { timeZone, month: "short" }).format(new Date(ms));
  return `${pad(p.day)} ${month} ${clock}`;
}

function weekdayIndex(d: Date, timeZone: string): number {
  const p = zonedParts(d, timeZone);
  return (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
}
