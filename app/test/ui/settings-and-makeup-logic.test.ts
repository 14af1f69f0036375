// Pure logic behind the new admin and supervisor forms: the gate-policy essentials keep every
// other policy field, the duplicate-scan window field, the voice-text body, the make-up form's
// datetime-local conversion, required fields and request body, and reading the core's 422
// make-up reasons.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rules } from '../../../edge-core/src/index.js';
import { parseWindowSeconds, voiceBody, withEssentials } from '../../ui/src/lib/settings-forms.js';
import {
  fromLocalInput,
  makeupBody,
  missingFields,
  toLocalInput,
  type MakeupDraft,
} from '../../ui/src/lib/makeup-form.js';
import { makeupRefusals } from '../../ui/src/api/admin.js';

const draft: MakeupDraft = {
  workerId: '3',
  direction: 'in',
  occurredAt: '2026-11-20T08:00',
  reason: 'network_failure',
  reasonText: '',
  confirmedBy: '住建局 张三',
  documentNo: '赣建补〔2026〕1号',
  confirmedAt: '2026-11-21T10:30',
};

describe('settings forms logic', () => {
  it('changes only the four essentials and the result still validates against the core schema', () => {
    const p = rules.DEFAULT_GATE_POLICY;
    const next = withEssentials(p, { helmet: 'remind', mask: 'refuse', antiPassback: 'ignore', windowSeconds: 90 });
    expect(next.helmet).toEqual({ ...p.helmet, action: 'remind' });
    expect(next.mask.action).toBe('refuse');
    expect(next.antiPassback).toEqual({ ...p.antiPassback, action: 'ignore' });
    expect(next.duplicateScan).toEqual({ ...p.duplicateScan, windowSeconds: 90 });
    expect(next.timeWindows).toEqual(p.timeWindows);
    expect(rules.GatePolicySchema.parse(next)).toEqual(next);
    const change = rules.describePolicyChange(p, next);
    expect(change.changes.map((c) => c.path)).toEqual([
      'antiPassback.action',
      'duplicateScan.windowSeconds',
      'helmet.action',
      'mask.action',
    ]);
  });

  it('accepts a duplicate window of 0–3600 whole seconds and nothing else', () => {
    expect(parseWindowSeconds('30')).toBe(30);
    expect(parseWindowSeconds(' 0 ')).toBe(0);
    expect(parseWindowSeconds('3600')).toBe(3600);
    for (const bad of ['', '3601', '-1', '1.5', 'abc', '99999']) expect(parseWindowSeconds(bad)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), (n) => parseWindowSeconds(String(n)) === n),
    );
  });

  it('sends only the voice texts that were filled in, trimmed', () => {
    expect(voiceBody({ welcome: ' {name}，早上好 ', goodbye: '   ', refused: '' })).toEqual({
      welcome: '{name}，早上好',
    });
    expect(voiceBody({})).toEqual({});
  });
});

describe('make-up form logic', () => {
  it('round-trips datetime-local values and rejects impossible dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), (ms) => {
        const minute = Math.floor(ms / 60_000) * 60_000;
        const text = toLocalInput(minute);
        const back = fromLocalInput(text);
        // A DST gap could shift the hour; the text form must always survive the round trip.
        return back !== null && toLocalInput(back) === text;
      }),
    );
    expect(fromLocalInput('2026-02-30T08:00')).toBeNull();
    expect(fromLocalInput('2026-11-20T25:00')).toBeNull();
    expect(fromLocalInput('2026-11-20')).toBeNull();
  });

  it('lists the missing fields; "other" needs a description', () => {
    expect(missingFields(draft)).toEqual([]);
    expect(missingFields({ ...draft, workerId: '', confirmedBy: ' ', documentNo: '' })).toEqual([
      'workerId',
      'confirmedBy',
      'documentNo',
    ]);
    expect(missingFields({ ...draft, reason: 'other' })).toEqual(['reasonText']);
    expect(missingFields({ ...draft, reason: 'other', reasonText: '塔吊检修' })).toEqual([]);
    expect(makeupBody({ ...draft, occurredAt: '' })).toBeNull();
  });

  it('builds the POST body with epoch-ms times and without an empty description', () => {
    const body = makeupBody(draft);
    expect(body).toEqual({
      workerId: 3,
      direction: 'in',
      occurredAt: fromLocalInput('2026-11-20T08:00'),
      reason: 'network_failure',
      confirmedBy: '住建局 张三',
      documentNo: '赣建补〔2026〕1号',
      confirmedAt: fromLocalInput('2026-11-21T10:30'),
    });
    expect(makeupBody({ ...draft, reason: 'other', reasonText: ' 塔吊检修 ' })?.reasonText).toBe('塔吊检修');
  });

  it("reads the core's 422 reasons and ignores other error details", () => {
    const manager = rules.validateMakeup(
      {
        workerId: 4,
        direction: 'in',
        occurredAt: Date.UTC(2026, 10, 20, 0),
        reason: 'storm',
        confirmedBy: 'x',
        documentNo: 'y',
        confirmedAt: Date.UTC(2026, 10, 21),
        timeZone: 'Asia/Shanghai',
        enteredBy: 'supervisor',
      },
      { workerId: 4, role: 'manager', status: 'active' },
      { now: Date.UTC(2026, 10, 22), existing: [] },
    );
    expect(manager.ok).toBe(false);
    const details = manager.ok ? [] : manager.errors;
    const read = makeupRefusals(details);
    expect(read?.map((r) => r.zh)).toContain('施工现场管理人员不得补打考勤记录');
    expect(makeupRefusals([{ path: 'workerId', message: 'bad' }])).toBeNull();
    expect(makeupRefusals(undefined)).toBeNull();
    expect(makeupRefusals({ reason: 'x' })).toBeNull();
  });
});
