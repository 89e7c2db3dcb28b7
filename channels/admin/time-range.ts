// Date ranges in staff queries: `from` and `to` are local days (YYYY-MM-DD,
// both included) or ISO instants; the turn log stores UTC instants.
import { AdminError } from './errors.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** SQLite's modifier that shifts a UTC time to local time, e.g. '+480 minutes'. */
export function localModifier(offsetMinutes: number): string {
  return `${offsetMinutes >= 0 ? '+' : '-'}${Math.abs(offsetMinutes)} minutes`;
}

/** The UTC instant a local day starts at. */
function dayStart(day: string, offsetMinutes: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMinutes * 60_000);
}

function instant(value: string, field: string, offsetMinutes: number, endOfDay: boolean): string {
  if (DAY.test(value)) {
    const start = dayStart(value, offsetMinutes);
    if (!Number.isNaN(start.getTime())) return new Date(start.getTime() + (endOfDay ? 86_400_000 : 0)).toISOString();
  } else if (!Number.isNaN(Date.parse(value))) {
    return new Date(value).toISOString();
  }
  throw new AdminError('BAD_REQUEST', [`${field} 须为日期（YYYY-MM-DD）或 ISO 时间`], { fields: { field } });
}

export interface InstantRange {
  /** Inclusive. */
  from?: string;
  /** Exclusive: the instant after the last one counted. */
  to?: string;
}

export function parseRange(query: { from?: string | undefined; to?: string | undefined }, offsetMinutes: number): InstantRange {
  return {
    ...(query.from ? { from: instant(query.from, 'from', offsetMinutes, false) } : {}),
    ...(query.to ? { to: instant(query.to, 'to', offsetMinutes, true) } : {}),
  };
}

/** The local day (YYYY-MM-DD) of an instant. */
export function localDay(at: Date, offsetMinutes: number): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}
