// The rule the e2e applies to every rendered Chinese screen (app/test/e2e/screen-text.ts): it
// must catch what the walkthrough found (no_id_photo, lane-1, worker:5, login.ok, raw JSON,
// 运行正常 Running, English-only details) and let through what a Chinese screen may hold.
import { describe, expect, it } from 'vitest';
import { latinWords, screenTextProblems, type ScreenText } from './screen-text-rule.js';

const node = (text: string, o: Partial<ScreenText> = {}): ScreenText => ({ text, verbatim: false, enPair: false, where: 'p', ...o });
const rules = (text: string, o: Partial<ScreenText> = {}) => screenTextProblems([node(text, o)]).map((p) => p.rule);

describe('screen text rule', () => {
  it('flags the raw codes, JSON and English the walkthrough met on Chinese screens', () => {
    expect(rules('已标记（需复核）: no_id_photo')).toEqual(['raw-code']);
    expect(rules('lane-1')).toEqual(['raw-code']);
    expect(rules('turnstile-modbus (闸机控制器): 正常')).toEqual(['raw-code']);
    expect(rules('worker:5')).toEqual(['raw-code']);
    expect(rules('login.ok')).toEqual(['raw-code']);
    expect(rules('通行策略变更 1 项：helmet.action: "refuse" → "remind"')).toEqual(['raw-code']);
    expect(rules('{\n  "schemaVersion": 1,\n  "liveness": "refuse"')).toEqual(['json']);
    expect(rules('运行正常 Running')).toEqual(['english']);
    expect(rules('Loading face models')).toEqual(['english']);
    expect(rules('liveness policy test-only:temporal-off is for tests only')).toEqual(['raw-code']);
  });

  it('lets through Chinese, numbers, dates, masked IDs, allowed terms and zh/en pairs', () => {
    expect(rules('运行正常 · v0.1.0 · 演示模式')).toEqual([]);
    expect(rules('2026-03-01 08:00 · 1099**********0017')).toEqual([]);
    expect(rules('导出 Excel（XLSX）')).toEqual([]);
    expect(rules('演示 PIN：劳务员 700000，主管 800000，管理员 900000')).toEqual([]);
    expect(rules('平台密钥 appsecret')).toEqual([]);
    expect(rules('确认文件编号 DEMO-2026-001')).toEqual([]);
    expect(rules('SiteGate')).toEqual([]);
    // The English line of a zh/en pair, and verbatim values.
    expect(rules('Monthly attendance sheet', { enPair: true })).toEqual([]);
    expect(rules('/tmp/sg/config.yaml', { verbatim: true })).toEqual([]);
    expect(rules('https://platform.example.gov.cn/api', { verbatim: true })).toEqual([]);
  });

  it('still flags JSON inside a verbatim value, and English outside a pair', () => {
    expect(rules('{"a": 1}', { verbatim: true })).toEqual(['json']);
    expect(rules('Monthly attendance sheet')).toEqual(['english']);
  });

  it('counts Latin words only outside tokens that carry digits', () => {
    expect(latinWords('DEMO-360100-0001 演示项目')).toEqual([]);
    expect(latinWords('v0.1.0 Running now')).toEqual(['Running', 'now']);
    expect(latinWords('导出 Excel（XLSX）')).toEqual(['Excel', 'XLSX']);
  });
});
