import { describe, expect, it } from 'vitest';
import { computeAttendanceDays, validateMakeup, type MakeupRequest } from '../../src/rules/index.js';
import { at, TZ } from './fixtures.js';

const now = at('2026-07-09 10:00');
const storm: MakeupRequest = {
  workerId: 1,
  direction: 'in',
  occurredAt: at('2026-07-08 07:30'),
  timeZone: TZ,
  reason: 'storm',
  reasonText: '暴雨导致考勤设备断电',
  confirmedBy: '测试区住建局 测试乙',
  documentNo: '测建确〔2026〕001号',
  confirmedAt: at('2026-07-09 09:00'),
  enteredBy: 'clerk',
};

describe('make-up attendance (补卡)', () => {
  it('a storm make-up for a worker, confirmed by the authority, yields the record columns and the audit entry', () => {
    const r = validateMakeup(storm, { workerId: 1, role: 'worker', status: 'active' }, { now });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record).toEqual({
      workerId: 1,
      direction: 'in',
      occurredAt: storm.occurredAt,
      timeZone: TZ,
      localDate: '2026-07-08',
      decision: 'pass',
      isMakeup: true,
      makeupConfirmedBy: '测试区住建局 测试乙',
      makeupDocumentNo: '测建确〔2026〕001号',
      makeupReason: 'storm: 暴雨导致考勤设备断电',
      makeupConfirmedAt: storm.confirmedAt,
    });
    expect(r.audit).toMatchObject({ action: 'attendance.makeup', actor: 'clerk', target: 'worker:1', details: { documentNo: '测建确〔2026〕001号', confirmedBy: '测试区住建局 测试乙' } });
    // and the made-up day shows with its mark
    const [day] = computeAttendanceDays([{ id: 'mk', workerId: 1, laneId: 'makeup', direction: 'in', occurredAt: r.record.occurredAt, timeZone: TZ, isMakeup: true }]);
    expect(day!.flags).toContain('makeup');
  });

  it('refuses any make-up for management personnel (施工现场管理人员不得补打考勤记录)', () => {
    const r = validateMakeup(storm, { workerId: 1, role: 'manager', status: 'active' }, { now });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.code)).toEqual(['makeup_management_forbidden']);
    expect(r.errors[0]!.zh).toBe('施工现场管理人员不得补打考勤记录');
  });

  it('lists every missing confirmation detail', () => {
    const r = validateMakeup(
      { ...storm, reason: 'other', reasonText: ' ', confirmedBy: '', documentNo: '  ', confirmedAt: now + 1 },
      { workerId: 1, role: 'worker', status: 'active' },
      { now },
    );
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(['makeup_confirmed_by_missing', 'makeup_document_missing', 'makeup_reason_text_missing', 'makeup_confirmed_at_invalid']);
  });

  it('refuses a make-up in the future, too old, duplicating a record, or for an inactive person', () => {
    const codes = (req: MakeupRequest, ctx: Parameters<typeof validateMakeup>[2], status: 'active' | 'inactive' = 'active') => {
      const r = validateMakeup(req, { workerId: 1, role: 'worker', status }, ctx);
      return r.ok ? [] : r.errors.map((e) => e.code);
    };
    expect(codes({ ...storm, occurredAt: now + 60_000, confirmedAt: now }, { now })).toEqual(['makeup_in_future']);
    expect(codes(storm, { now, earliestDate: '2026-07-09' })).toEqual(['makeup_too_old']);
    expect(codes(storm, { now, existing: [{ direction: 'in', occurredAt: at('2026-07-08 07:45'), timeZone: TZ }] })).toEqual(['makeup_duplicate']);
    expect(codes(storm, { now, existing: [{ direction: 'out', occurredAt: at('2026-07-08 07:45'), timeZone: TZ }] })).toEqual([]);
    expect(codes(storm, { now }, 'inactive')).toEqual(['makeup_person_not_active']);
  });

  it('accepts a network failure without extra text', () => {
    const r = validateMakeup({ ...storm, reason: 'network_failure', reasonText: undefined }, { workerId: 1, role: 'worker', status: 'active' }, { now });
    expect(r.ok && r.record.makeupReason).toBe('network_failure');
  });
});
