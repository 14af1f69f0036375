// The construction calendar's marked days over a real store: marks are audited (signed ledger
// entries) with the previous state, the platform's mark wins over a local one for the same day,
// an import replaces exactly the platform's days of its range, and the built calendar says
// which days are construction days.
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, CalendarRepo, rules } from '../../src/index.js';
import { fixedClock, openTestStore, tempDir } from './helpers.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function open() {
  const t = tempDir();
  const { store } = openTestStore(t.dir, fixedClock());
  cleanup = () => {
    store.close();
    t.cleanup();
  };
  return { store, repo: new CalendarRepo(store), audit: new AuditLog(store) };
}

describe('calendar marks', () => {
  it('marks a week of rain as stoppage days with the reason, audited once with what was there before', () => {
    const { store, repo, audit } = open();
    const dates = ['2026-03-02', '2026-03-03', '2026-03-04'];
    expect(repo.mark(dates, 'weather', '暴雨红色预警', 'admin')).toEqual(dates);
    expect(repo.mark(dates, 'weather', '暴雨红色预警', 'admin')).toEqual([]); // unchanged: no second entry
    expect(repo.mark(['2026-03-04'], 'holiday', '项目部放假', 'admin')).toEqual(['2026-03-04']);
    const entries = audit.list({ action: 'calendar.mark' });
    expect(entries).toHaveLength(2);
    expect(entries[0]?.details).toMatchObject({ kind: 'holiday', days: [{ date: '2026-03-04', before: { kind: 'weather', reason: '暴雨红色预警' } }] });
    expect(entries[1]).toMatchObject({ actor: 'admin', target: 'calendar:2026-03-02..2026-03-04' });
    // the entries are in the signed ledger
    for (const e of entries) expect(store.db.prepare("SELECT 1 AS ok FROM ledger WHERE kind = 'audit' AND ref = ?").get(String(e.id))).toEqual({ ok: 1 });
    const cal = rules.withCalendarMarks(rules.EMPTY_CALENDAR, repo.all());
    expect(rules.dayType(cal, '2026-03-02')).toBe('stoppage');
    expect(rules.stoppageOn(cal, '2026-03-03')?.reason).toBe('暴雨红色预警');
    expect(rules.dayType(cal, '2026-03-04')).toBe('holiday');
    expect(rules.constructionDays(cal, '2026-03')).toHaveLength(28);
  });

  it('withdraws a mark (audited with the reason) and refuses malformed rows at the database', () => {
    const { store, repo, audit } = open();
    repo.mark(['2026-03-10'], 'stoppage', '主管部门责令停工', 'admin');
    expect(repo.unmark(['2026-03-10', '2026-03-11'], 'admin', '误标')).toEqual(['2026-03-10']);
    expect(repo.all()).toEqual([]);
    expect(audit.list({ action: 'calendar.unmark' })[0]?.details).toEqual({ reason: '误标', days: [{ date: '2026-03-10', kind: 'stoppage', reason: '主管部门责令停工' }] });
    expect(() => store.db.prepare("INSERT INTO calendar_days VALUES ('2026-3-1', 'local', 'weather', 'x', 'admin', 0)").run()).toThrow(/CHECK/);
    expect(() => store.db.prepare("INSERT INTO calendar_days VALUES ('2026-03-01', 'local', 'rain', 'x', 'admin', 0)").run()).toThrow(/CHECK/);
  });

  it("lets the platform's mark win over a local one, and the local one return when the platform withdraws", () => {
    const { repo, audit } = open();
    repo.mark(['2026-03-05'], 'weather', '大雨', 'admin');
    repo.mark(['2026-03-06'], 'holiday', '放假', 'admin');
    const r1 = repo.replacePlatform('2026-03-01', '2026-03-31', [
      { date: '2026-03-06', kind: 'workday', reason: '平台：正常施工' },
      { date: '2026-03-20', kind: 'stoppage', reason: '平台：停工整改' },
      { date: '2026-04-02', kind: 'holiday', reason: 'outside the range: ignored' },
    ]);
    expect(r1).toEqual({ added: 2, changed: 0, removed: 0 });
    let cal = rules.withCalendarMarks(rules.EMPTY_CALENDAR, repo.all());
    expect(rules.dayType(cal, '2026-03-05')).toBe('stoppage');
    expect(rules.dayType(cal, '2026-03-06')).toBe('workday');
    expect(rules.dayType(cal, '2026-03-20')).toBe('stoppage');
    expect(rules.dayType(cal, '2026-04-02')).toBe('workday');
    // the same answer again changes nothing and writes no audit entry
    expect(repo.replacePlatform('2026-03-01', '2026-03-31', [{ date: '2026-03-06', kind: 'workday', reason: '平台：正常施工' }, { date: '2026-03-20', kind: 'stoppage', reason: '平台：停工整改' }])).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(audit.list({ action: 'calendar.import' })).toHaveLength(1);
    // the platform withdraws 06 March and changes 20 March
    expect(repo.replacePlatform('2026-03-01', '2026-03-31', [{ date: '2026-03-20', kind: 'weather', reason: '平台：台风' }])).toEqual({ added: 0, changed: 1, removed: 1 });
    cal = rules.withCalendarMarks(rules.EMPTY_CALENDAR, repo.all());
    expect(rules.dayType(cal, '2026-03-06')).toBe('holiday'); // the local mark is back in force
    expect(rules.stoppageOn(cal, '2026-03-20')?.reason).toBe('平台：台风');
    expect(audit.list({ action: 'calendar.import' })[0]).toMatchObject({ actor: 'platform', details: { changed: 1, removed: 1 } });
  });

  it('a workday mark makes a rest weekday (and a base holiday) a construction day', () => {
    const base = rules.parseConstructionCalendar({ restWeekdays: [7], holidays: ['2026-03-09'] });
    const cal = rules.withCalendarMarks(base, [
      { date: '2026-03-08', kind: 'workday', reason: '调休', source: 'local' },
      { date: '2026-03-09', kind: 'workday', reason: '赶工', source: 'local' },
    ]);
    expect(rules.dayType(base, '2026-03-08')).toBe('holiday'); // a Sunday
    expect(rules.dayType(cal, '2026-03-08')).toBe('workday');
    expect(rules.dayType(cal, '2026-03-09')).toBe('workday');
    expect(rules.dayType(cal, '2026-03-15')).toBe('holiday');
  });
});
