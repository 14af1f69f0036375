// The visitor pass form: local date-time inputs (datetime-local, the kiosk's zone) to epoch
// milliseconds and back, and the default window (now until the end of the working day).
// Pure, unit-tested (app/test/ui).

/** 'YYYY-MM-DDTHH:mm' in the browser's zone for an instant. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Epoch ms of a datetime-local value, or null when it is empty or not a time. */
export function fromLocalInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** Default window: from now (to the minute) until 18:00 today, or 4 hours when later than 14:00. */
export function defaultWindow(now: number): { from: string; to: string } {
  const start = new Date(now);
  start.setSeconds(0, 0);
  const end = new Date(start);
  end.setHours(18, 0, 0, 0);
  if (end.getTime() - start.getTime() < 4 * 3600_000) end.setTime(start.getTime() + 4 * 3600_000);
  return { from: toLocalInput(start.getTime()), to: toLocalInput(end.getTime()) };
}

/** '' → null (any number of entries); otherwise a whole number 1–100, or undefined when invalid. */
export function parseMaxEntries(text: string): number | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d{1,3}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 100 ? n : undefined;
}
