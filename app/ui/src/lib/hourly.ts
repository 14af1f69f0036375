// Passages per hour of the site day, from attendance events, in the site's time zone.
export interface HourBucket {
  hour: number;
  pass: number;
  refuse: number;
}

export function hourOf(at: number, timeZone: string): number {
  const h = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(
    new Date(at),
  );
  return Number(h) % 24;
}

/**
 * Passes and refusals per hour of the site's day. The hour is taken in the site's zone (the
 * event's own zone, else `siteZone`), never the browser's: a kiosk or LAN PC set to another
 * zone draws a 19:57 pass at 19, not at 3.
 */
export function passagesPerHour(
  events: Array<{ occurredAt: number; timeZone?: string | null; decision: 'pass' | 'refuse' }>,
  siteZone = 'Asia/Shanghai',
): HourBucket[] {
  const buckets: HourBucket[] = Array.from({ length: 24 }, (_, hour) => ({ hour, pass: 0, refuse: 0 }));
  for (const e of events) {
    const b = buckets[hourOf(e.occurredAt, e.timeZone || siteZone)];
    if (b) b[e.decision] += 1;
  }
  return buckets;
}

/** "3 min", "2 h 5 min", "1 d 4 h": how long ago, for the oldest unsent record. */
export function ageText(ms: number, lang: 'zh' | 'en'): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (lang === 'zh') return d ? `${d} 天 ${h} 小时` : h ? `${h} 小时 ${m} 分钟` : `${m} 分钟`;
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min`;
}
