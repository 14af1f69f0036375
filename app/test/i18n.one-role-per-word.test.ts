// 管理员 means one role everywhere: the appliance's administrator (role `admin`, the UI's
// role.admin label), as 主管 is the supervisor and 劳务员 the labour clerk. Every zh/en pair in
// the sources is checked both ways, so a text that says 管理员 where the English says
// "supervisor" (as the gate's refusals once did) fails here. 平台管理员 — the platform's
// administrator, not a role of this appliance — is the one other use and is always qualified.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEXTS } from '../ui/src/i18n/texts.js';
import { REASON_TEXTS } from '../../edge-core/src/rules/reasons.js';
import { FACE_REASONS } from '../../edge-core/src/face/reasons.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIRS = ['edge-core/src', 'drivers/src', 'sync/src', 'app/shared', 'app/server', 'app/ui/src'];
// "under a supervisor" is a process supervisor (守护进程), not the role.
const PROCESS_SUPERVISOR = /under a supervisor/i;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

/** Every `zh: '…', en: '…'` pair written in the sources (any quote). */
function pairs(): Array<{ file: string; zh: string; en: string }> {
  const re = /zh:\s*(['"`])((?:(?!\1)[\s\S])*?)\1,\s*en:\s*(['"`])((?:(?!\3)[\s\S])*?)\3/g;
  const out: Array<{ file: string; zh: string; en: string }> = [];
  for (const d of DIRS)
    for (const file of sources(join(ROOT, d))) {
      for (const m of readFileSync(file, 'utf8').matchAll(re)) out.push({ file: file.slice(ROOT.length), zh: m[2] ?? '', en: m[4] ?? '' });
    }
  return out;
}

function problems(zh: string, en: string): string[] {
  const zhRole = zh.replaceAll('平台管理员', '');
  const enRole = en.replace(/platform('s)? administrator/gi, '');
  const bad: string[] = [];
  if (zhRole.includes('管理员') && !/\badmin/i.test(enRole)) bad.push('管理员 but the English names no administrator');
  if (/\badmin/i.test(enRole) && !zhRole.includes('管理员')) bad.push('the English says administrator but the Chinese not 管理员');
  if (/\bsupervisor/i.test(en) && !PROCESS_SUPERVISOR.test(en) && !zh.includes('主管')) bad.push('the English says supervisor but the Chinese not 主管');
  return bad;
}

describe('管理员 means the admin role, 主管 the supervisor', () => {
  it('finds the pairs it checks (the scan is not empty)', () => {
    expect(pairs().length).toBeGreaterThan(500);
  });

  it('every zh/en pair in the sources names the same role in both languages', () => {
    const bad = pairs().flatMap((p) => problems(p.zh, p.en).map((why) => `${p.file}: ${why}: ${p.zh} | ${p.en}`));
    expect(bad).toEqual([]);
  });

  it('the UI role labels are the words the texts use', () => {
    expect(TEXTS['role.admin'].zh).toBe('管理员');
    expect(TEXTS['role.supervisor'].zh).toBe('主管');
    expect(TEXTS['role.clerk'].zh).toBe('劳务员');
  });

  it('the gate speaks to workers of the clerk or the supervisor, never of 管理员', () => {
    for (const t of [...Object.values(REASON_TEXTS), ...Object.values(FACE_REASONS)]) expect(t.zh).not.toContain('管理员');
    expect(REASON_TEXTS.record_failed.zh).toContain('主管');
    expect(REASON_TEXTS.turnstile_offline.zh).toContain('主管');
  });

  it('the check itself catches the old wording of the gate', () => {
    expect(problems('通行记录无法保存，暂停通行，请联系管理员', 'The record cannot be saved; passage stopped, call the supervisor')).toHaveLength(2);
    expect(problems('平台不允许…请联系平台管理员', 'Ask the platform administrator')).toEqual([]);
  });
});
