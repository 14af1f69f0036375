// The construction calendar's marked days (施工日历, migration 0004): admins mark days of no
// construction (weather, stoppage, holiday) or extra workdays with a reason; the platform's
// calendar is imported beside them. Every change is audited in the same transaction, with
// the day's previous state, so the audit log tells who changed what and why.
import type { Store } from './store.js';
import { AuditLog } from './audit-log.js';
import type { CalendarMark, CalendarMarkKind, CalendarMarkSource } from '../rules/construction-calendar.js';

export interface CalendarDayRow extends CalendarMark {
  setBy: string;
  updatedAt: number;
}

interface Row {
  date: string;
  source: CalendarMarkSource;
  kind: CalendarMarkKind;
  reason: string;
  set_by: string;
  updated_at: number;
}

const toMark = (r: Row): CalendarDayRow => ({ date: r.date, source: r.source, kind: r.kind, reason: r.reason, setBy: r.set_by, updatedAt: r.updated_at });

export interface CalendarImportResult {
  added: number;
  changed: number;
  removed: number;
}

export class CalendarRepo {
  readonly #audit: AuditLog;
  /** Bumped on every change, so callers can cache the built calendar. */
  #version = 0;

  constructor(private readonly store: Store) {
    this.#audit = new AuditLog(store);
  }

  get version(): number {
    return this.#version;
  }

  /** Marks between two dates (inclusive), both sources, by date. */
  list(from = '0000-01-01', to = '9999-12-31'): CalendarDayRow[] {
    return (
      this.store.db
        .prepare('SELECT date, source, kind, reason, set_by, updated_at FROM calendar_days WHERE date BETWEEN ? AND ? ORDER BY date, source')
        .all(from, to) as Row[]
    ).map(toMark);
  }

  /** Every mark (the calendar is small: a few hundred days over a project's life). */
  all(): CalendarDayRow[] {
    return this.list();
  }

  #get(date: string, source: CalendarMarkSource): CalendarDayRow | null {
    const r = this.store.db.prepare('SELECT date, source, kind, reason, set_by, updated_at FROM calendar_days WHERE date = ? AND source = ?').get(date, source) as Row | undefined;
    return r ? toMark(r) : null;
  }

  /** Marks local days (one reason for all of them); audited as one entry. Returns the dates changed. */
  mark(dates: readonly string[], kind: CalendarMarkKind, reason: string, actor: string): string[] {
    return this.store.tx(() => {
      const changed: Array<{ date: string; before: { kind: string; reason: string } | null }> = [];
      for (const date of [...new Set(dates)].sort()) {
        const before = this.#get(date, 'local');
        if (before && before.kind === kind && before.reason === reason) continue;
        this.store.db
          .prepare(
            `INSERT INTO calendar_days (date, source, kind, reason, set_by, updated_at) VALUES (?, 'local', ?, ?, ?, ?)
             ON CONFLICT(date, source) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, set_by = excluded.set_by, updated_at = excluded.updated_at`,
          )
          .run(date, kind, reason, actor, this.store.clock.now());
        changed.push({ date, before: before ? { kind: before.kind, reason: before.reason } : null });
      }
      if (changed.length) {
        this.#audit.append(actor, 'calendar.mark', `calendar:${changed[0]?.date}${changed.length > 1 ? `..${changed[changed.length - 1]?.date}` : ''}`, { kind, reason, days: changed });
        this.#version++;
      }
      return changed.map((c) => c.date);
    });
  }

  /** Removes local marks (the days become what the base calendar says); audited. */
  unmark(dates: readonly string[], actor: string, reason: string): string[] {
    return this.store.tx(() => {
      const removed: Array<{ date: string; kind: string; reason: string }> = [];
      for (const date of [...new Set(dates)].sort()) {
        const before = this.#get(date, 'local');
        if (!before) continue;
        this.store.db.prepare("DELETE FROM calendar_days WHERE date = ? AND source = 'local'").run(date);
        removed.push({ date, kind: before.kind, reason: before.reason });
      }
      if (removed.length) {
        this.#audit.append(actor, 'calendar.unmark', `calendar:${removed[0]?.date}${removed.length > 1 ? `..${removed[removed.length - 1]?.date}` : ''}`, { reason, days: removed });
        this.#version++;
      }
      return removed.map((r) => r.date);
    });
  }

  /**
   * Replaces the platform's marks between `from` and `to` with `marks` (what the platform
   * answered for that range): new days added, changed days updated, days it no longer lists
   * removed. Audited as one `calendar.import` entry with the differences (none: no entry).
   */
  replacePlatform(from: string, to: string, marks: ReadonlyArray<Pick<CalendarMark, 'date' | 'kind' | 'reason'>>, actor = 'platform'): CalendarImportResult {
    return this.store.tx(() => {
      const existing = new Map(this.list(from, to).filter((m) => m.source === 'platform').map((m) => [m.date, m]));
      const incoming = new Map(marks.filter((m) => m.date >= from && m.date <= to).map((m) => [m.date, m]));
      const diff: Array<{ date: string; before: { kind: string; reason: string } | null; after: { kind: string; reason: string } | null }> = [];
      const now = this.store.clock.now();
      for (const [date, m] of incoming) {
        const before = existing.get(date);
        if (before && before.kind === m.kind && before.reason === m.reason) continue;
        this.store.db
          .prepare(
            `INSERT INTO calendar_days (date, source, kind, reason, set_by, updated_at) VALUES (?, 'platform', ?, ?, ?, ?)
             ON CONFLICT(date, source) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, set_by = excluded.set_by, updated_at = excluded.updated_at`,
          )
          .run(date, m.kind, m.reason, actor, now);
        diff.push({ date, before: before ? { kind: before.kind, reason: before.reason } : null, after: { kind: m.kind, reason: m.reason } });
      }
      for (const [date, before] of existing) {
        if (incoming.has(date)) continue;
        this.store.db.prepare("DELETE FROM calendar_days WHERE date = ? AND source = 'platform'").run(date);
        diff.push({ date, before: { kind: before.kind, reason: before.reason }, after: null });
      }
      const result = {
        added: diff.filter((d) => d.before === null).length,
        changed: diff.filter((d) => d.before !== null && d.after !== null).length,
        removed: diff.filter((d) => d.after === null).length,
      };
      if (diff.length) {
        this.#audit.append(actor, 'calendar.import', `calendar:${from}..${to}`, { ...result, days: diff.sort((a, b) => (a.date < b.date ? -1 : 1)) });
        this.#version++;
      }
      return result;
    });
  }
}
