import { describe, expect, it } from 'vitest';
import { evaluatePassage, parseGatePolicy, REASON_ORDER, REASON_TEXTS, parseConstructionCalendar } from '../../src/rules/index.js';
import { at, faceAttempt, person, policy } from './fixtures.js';

describe('gate policy: every failing reason, in the documented order', () => {
  it('lists all failing reasons of a blacklisted worker with expired papers, out of hours, without helmet, as a duplicate', () => {
    const calendar = parseConstructionCalendar({ stoppages: [{ from: '2026-03-10', to: '2026-03-10', reason: '暴雨红色预警' }] });
    const p = person({ status: 'blacklisted', idValidTo: '2026-01-01', hasContract: false, hasInsurance: false });
    const strict = parseGatePolicy({ insurance: { missing: 'refuse' }, antiPassback: { action: 'refuse' } });
    const r = evaluatePassage(
      faceAttempt(
        {
          calendar,
          detectors: { helmet: 'absent', mask: 'absent' },
          history: [{ laneId: 'lane-1', direction: 'in', occurredAt: at('2026-03-10 07:29:50') }],
        },
        p,
      ),
      strict,
    );
    expect(r.decision).toBe('refuse');
    expect(r.reasons.map((x) => x.code)).toEqual(['blacklisted', 'id_expired', 'contract_missing', 'insurance_missing', 'site_stoppage', 'helmet_missing', 'duplicate_scan']);
    expect(r.suppressRecord).toBe(true);
    expect(r.countsAsAttendance).toBe(false);
    expect(r.dayType).toBe('stoppage');
  });

  it('keeps the documented order whatever order the checks fail in (reasons are sorted by REASON_ORDER)', () => {
    const r = evaluatePassage(faceAttempt({ detectors: { helmet: 'absent' } }, person({ status: 'inactive', hasContract: false })), policy);
    const idx = r.reasons.map((x) => REASON_ORDER.indexOf(x.code));
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(r.reasons.map((x) => x.code)).toEqual(['worker_inactive', 'contract_missing', 'helmet_missing']);
  });

  it('gives every reason code a Chinese and an English text', () => {
    for (const code of REASON_ORDER) {
      expect(REASON_TEXTS[code].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(REASON_TEXTS[code].en).toMatch(/^[A-Z]/);
    }
    expect(REASON_TEXTS.not_enrolled.zh).toBe('未登记');
    expect(REASON_TEXTS.duplicate_scan.zh).toBe('重复打卡');
  });

  it('refuses an unknown face as 未登记 and still records the missing helmet', () => {
    const r = evaluatePassage(faceAttempt({ detectors: { helmet: 'absent' } }, null), policy);
    expect(r.reasons.map((x) => x.code)).toEqual(['not_enrolled', 'helmet_missing']);
    expect(r.countsAsAttendance).toBe(false);
  });

  it('stops at a failed liveness check: a face that is not live identifies nobody', () => {
    const r = evaluatePassage(faceAttempt({ credential: { kind: 'face', liveness: 'fail', person: person({ status: 'blacklisted' }) } }), policy);
    expect(r.reasons.map((x) => x.code)).toEqual(['liveness_failed']);
    expect(r.reasons[0]?.zh).toBe('活体检测未通过');
  });

  it('refuses a failed liveness check even on exit', () => {
    const r = evaluatePassage(faceAttempt({ direction: 'out', credential: { kind: 'face', liveness: 'fail', person: person() } }), policy);
    expect(r.decision).toBe('refuse');
  });

  it('passes a worker in good standing and counts the attendance', () => {
    const r = evaluatePassage(faceAttempt(), policy);
    expect(r).toMatchObject({ decision: 'pass', reasons: [], reminders: [], suppressRecord: false, countsAsAttendance: true, localDate: '2026-03-10', dayType: 'workday' });
  });
});

describe('helmet and mask (Jiangxi device standard 5: deny passage, upload the record)', () => {
  it('denies entry without a helmet by default', () => {
    const r = evaluatePassage(faceAttempt({ detectors: { helmet: 'absent' } }), policy);
    expect(r.decision).toBe('refuse');
    expect(r.reasons).toEqual([{ code: 'helmet_missing', zh: '未戴安全帽', en: 'No safety helmet' }]);
  });

  it('does not ask for a helmet to leave', () => {
    expect(evaluatePassage(faceAttempt({ direction: 'out', detectors: { helmet: 'absent' } }), policy).decision).toBe('pass');
  });

  it('ignores an undetermined helmet by default, reminds or refuses when configured', () => {
    expect(evaluatePassage(faceAttempt({ detectors: { helmet: 'unknown' } }), policy).reminders).toEqual([]);
    const remind = parseGatePolicy({ helmet: { whenUnknown: 'remind' } });
    expect(evaluatePassage(faceAttempt({ detectors: { helmet: 'unknown' } }), remind).reminders.map((x) => x.code)).toEqual(['helmet_unchecked']);
    const deny = parseGatePolicy({ helmet: { whenUnknown: 'refuse' } });
    expect(evaluatePassage(faceAttempt({ detectors: {} }), deny).reasons.map((x) => x.code)).toEqual(['helmet_unchecked']);
  });

  it('mask: ignored by default, a reminder under remind, a refusal under refuse (require)', () => {
    const noMask = faceAttempt({ detectors: { helmet: 'present', mask: 'absent' } });
    expect(evaluatePassage(noMask, policy).reminders).toEqual([]);
    const remind = evaluatePassage(noMask, parseGatePolicy({ mask: { action: 'remind' } }));
    expect(remind.decision).toBe('pass');
    expect(remind.reminders.map((x) => x.zh)).toEqual(['未戴口罩']);
    expect(evaluatePassage(noMask, parseGatePolicy({ mask: { action: 'refuse' } })).reasons.map((x) => x.code)).toEqual(['mask_missing']);
  });
});
