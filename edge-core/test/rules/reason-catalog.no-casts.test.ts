// The gate's reason codes come from one catalog and nothing casts past it: every Reason is
// built by gateReason(), and stored codes are read back by parseReasonCodes(), which maps a
// code this version does not know to `unknown` instead of pretending it is a known one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttendanceRepo, StoreGateDirectory, WorkersRepo } from '../../src/index.js';
import { gateReason, parseReasonCodes, parseStoredCodes, reasonText, REASON_TEXTS } from '../../src/rules/reasons.js';
import { fakeIdNumber, openTestStore, tempDir } from '../store/helpers.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('reason catalog', () => {
  it('has the lane refusals and `unknown` with both languages, built only through gateReason', () => {
    for (const code of ['turnstile_offline', 'record_failed', 'unknown'] as const) {
      expect(gateReason(code)).toEqual({ code, ...REASON_TEXTS[code] });
      expect(REASON_TEXTS[code].zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(gateReason('record_failed').zh).toBe('通行记录无法保存，暂停通行，请联系主管');
  });

  it('reads stored codes back, mapping unknown ones to `unknown`, and refuses a damaged list', () => {
    expect(parseReasonCodes('["liveness_failed","liveness.cnn","from_a_newer_version"]')).toEqual(['liveness_failed', 'unknown', 'unknown']);
    expect(parseReasonCodes('[]')).toEqual([]);
    expect(parseReasonCodes('["toString"]')).toEqual(['unknown']);
    expect(() => parseReasonCodes('{"code":"blacklisted"}')).toThrow(/not a list of strings/);
    expect(() => parseReasonCodes('[1]')).toThrow(/not a list of strings/);
    // As written (the listings show face codes in their own words): validated, not renamed.
    expect(parseStoredCodes('["liveness_failed","liveness.cnn"]')).toEqual(['liveness_failed', 'liveness.cnn']);
    expect(() => parseStoredCodes('"blacklisted"')).toThrow(/not a list of strings/);
    expect(reasonText('from_a_newer_version')).toEqual(REASON_TEXTS.unknown);
    expect(reasonText('blacklisted')).toEqual(REASON_TEXTS.blacklisted);
  });

  it('a refusal recorded with a face-engine code comes back from the real store as `unknown`, not as a cast string', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store } = openTestStore(t.dir);
    try {
      const workers = new WorkersRepo(store);
      const employer = workers.createEmployer({ name: '测试劳务公司', creditCode: '91999999MA00000001', corpType: 'labour' }, 'clerk');
      const team = workers.createTeam({ employerId: employer.id, name: '钢筋一班' }, 'clerk');
      const w = workers.create(
        { name: '测试甲', idType: '01', idNumber: fakeIdNumber(21), address: '测试路1号', phone: '13800000021', tradeCode: '020', role: 'worker', employerId: employer.id, teamId: team.id },
        'clerk',
      );
      new AttendanceRepo(store).record({ laneId: 'l1', workerId: w.id, direction: 'in', decision: 'refuse', reasons: ['liveness_failed', 'liveness.cnn'] });
      const prior = new StoreGateDirectory(store).recentPassages(w.id, 0);
      expect(prior.map((p) => p.reasonCodes)).toEqual([['liveness_failed', 'unknown']]);
    } finally {
      store.close();
    }
  });

  it('no source file casts to Reason or ReasonCode', () => {
    const offenders: string[] = [];
    for (const dir of ['edge-core', 'drivers', 'sync', 'app']) {
      for (const f of sources(join(ROOT, dir))) {
        const text = readFileSync(f, 'utf8');
        if (/\bas\s+(Reason|ReasonCode|Reason\['code'\]|PriorPassage\['reasonCodes'\])\b/.test(text) && !f.endsWith('reason-catalog.no-casts.test.ts')) offenders.push(f.slice(ROOT.length));
      }
    }
    expect(offenders).toEqual([]);
  });
});
