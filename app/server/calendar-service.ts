// The construction calendar (施工日历) the core works with: the base (project start/end, rest
// weekdays; settings key `gate.calendar`) with the marked days on top (CalendarRepo: admins'
// marks and the platform's imported calendar). The gate's time windows, the management 80 %
// / 60 % rule with its early warning and the monthly sheet all read `current()`.
import { CalendarRepo, localDate, rules, type AuditLog, type Clock, type SettingsRepo, type Store } from '../../edge-core/src/index.js';
import type { Logger } from './logger.js';
import type { Bilingual } from '../shared/i18n/messages.js';

export const CALENDAR_KEY = 'gate.calendar';
/** The platform's calendar is imported from two months back to three months ahead. */
const IMPORT_BACK_DAYS = 62;
const IMPORT_AHEAD_DAYS = 92;
const IMPORT_EVERY_MS = 6 * 3600_000;

export interface CalendarImportStatus {
  /** 'never': not tried yet; 'off': no platform or no method configured; 'unsupported': the platform answered −3. */
  state: 'never' | 'off' | 'ok' | 'unsupported' | 'failed';
  at: number | null;
  from: string | null;
  to: string | null;
  added: number;
  changed: number;
  removed: number;
  rejected: Array<{ index: number; problem: string }>;
  error: Bilingual | null;
}

/** The part of a platform client the import needs (sync's pullPlatformCalendar). */
export type CalendarPuller = (range: { from: string; to: string }) => Promise<{
  state: 'ok' | 'unsupported';
  days: Array<{ date: string; kind: rules.CalendarMarkKind; reason: string }>;
  rejected: Array<{ index: number; problem: string }>;
}>;

export class CalendarService {
  readonly repo: CalendarRepo;
  #cache: { key: string; calendar: rules.ConstructionCalendar } | null = null;
  #baseVersion = 0;
  #status: CalendarImportStatus = { state: 'never', at: null, from: null, to: null, added: 0, changed: 0, removed: 0, rejected: [], error: null };
  #timer: NodeJS.Timeout | null = null;
  #puller: CalendarPuller | null = null;

  constructor(
    private readonly s: { store: Store; settings: SettingsRepo; audit: AuditLog; clock: Clock; logger: Logger; timeZone: () => string },
  ) {
    this.repo = new CalendarRepo(s.store);
  }

  /** The base calendar as stored; an unreadable stored value counts as empty (and is logged). */
  base(): rules.ConstructionCalendar {
    const parsed = rules.ConstructionCalendarSchema.safeParse(this.s.settings.get<unknown>(CALENDAR_KEY, {}));
    if (parsed.success) return parsed.data;
    this.s.logger.error({ issues: parsed.error.issues.slice(0, 3) }, 'stored construction calendar is invalid; using an empty one');
    return rules.EMPTY_CALENDAR;
  }

  /** The calendar with every marked day applied (cached until the next change). */
  current(): rules.ConstructionCalendar {
    const key = `${this.#baseVersion}|${this.repo.version}`;
    if (this.#cache?.key === key) return this.#cache.calendar;
    const calendar = rules.withCalendarMarks(this.base(), this.repo.all());
    this.#cache = { key, calendar };
    return calendar;
  }

  /** Replaces the base (start, end, rest weekdays); audited with before and after. */
  setBase(input: { start?: string | null; end?: string | null; restWeekdays: number[] }, actor: string): rules.ConstructionCalendar {
    const before = this.base();
    const next = rules.parseConstructionCalendar({
      ...before,
      start: input.start ?? undefined,
      end: input.end ?? undefined,
      restWeekdays: [...new Set(input.restWeekdays)].sort(),
    });
    this.s.store.tx(() => {
      this.s.settings.set(CALENDAR_KEY, next);
      this.s.audit.append(actor, 'calendar.base', 'calendar', {
        before: { start: before.start ?? null, end: before.end ?? null, restWeekdays: before.restWeekdays },
        after: { start: next.start ?? null, end: next.end ?? null, restWeekdays: next.restWeekdays },
      });
    });
    this.#baseVersion++;
    return next;
  }

  importStatus(): CalendarImportStatus {
    return this.#status;
  }

  /** Where imports come from (null: no platform, or no calendar method configured). */
  setPuller(puller: CalendarPuller | null): void {
    this.#puller = puller;
    if (!puller) this.#status = { ...this.#status, state: 'off' };
  }

  /** Imports the platform's calendar around today; the result (and any failure) is kept for the screen. */
  async importNow(): Promise<CalendarImportStatus> {
    const puller = this.#puller;
    if (!puller) {
      this.#status = { ...this.#status, state: 'off' };
      return this.#status;
    }
    const today = localDate(this.s.clock.now(), this.s.timeZone());
    const from = rules.addDays(today, -IMPORT_BACK_DAYS);
    const to = rules.addDays(today, IMPORT_AHEAD_DAYS);
    const at = this.s.clock.now();
    try {
      const r = await puller({ from, to });
      if (r.state === 'unsupported') {
        this.#status = { state: 'unsupported', at, from, to, added: 0, changed: 0, removed: 0, rejected: [], error: null };
        return this.#status;
      }
      const counts = this.repo.replacePlatform(from, to, r.days);
      if (r.rejected.length) this.s.logger.warn({ rejected: r.rejected.slice(0, 5), count: r.rejected.length }, 'platform calendar rows could not be read');
      this.#status = { state: 'ok', at, from, to, ...counts, rejected: r.rejected, error: null };
    } catch (err) {
      const e = err as { userMessage?: Bilingual; message?: string };
      this.#status = { ...this.#status, state: 'failed', at, from, to, error: e.userMessage ?? { zh: `日历导入失败：${e.message ?? ''}`, en: `Calendar import failed: ${e.message ?? ''}` } };
      this.s.logger.warn({ err }, 'construction calendar import failed; the local calendar applies');
    }
    return this.#status;
  }

  /** Imports now and every six hours. */
  startImports(everyMs = IMPORT_EVERY_MS): void {
    this.stopImports();
    if (!this.#puller) return;
    void this.importNow();
    this.#timer = setInterval(() => void this.importNow(), everyMs);
    this.#timer.unref();
  }

  stopImports(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
