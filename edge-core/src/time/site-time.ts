// Site-local calendar arithmetic. Records are stored in UTC milliseconds together with the
// site's IANA zone; the attendance day is the calendar date in that zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm:ss
}

export function localParts(utcMs: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

export function localDate(utcMs: number, timeZone: string): string {
  return localParts(utcMs, timeZone).date;
}

/** `yyyy-MM-dd HH:mm:ss` in the site zone, the platform's attendance date format. */
export function localDateTime(utcMs: number, timeZone: string): string {
  const p = localParts(utcMs, timeZone);
  return `${p.date} ${p.time}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
