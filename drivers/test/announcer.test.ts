import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../edge-core/src/ports/devices.js';
import { EspeakAnnouncer, speak, type SpokenEvent } from '../src/announcer/espeak-announcer.js';
import { SpeechQueue } from '../src/announcer/speech-queue.js';
import { renderTemplate } from '../src/announcer/templates.js';
import { nextEvent, scratchDir } from './helpers.js';

describe('announcement templates', () => {
  it('fills placeholders, empties unknown ones and strips control characters', () => {
    expect(renderTemplate('{name}，欢迎', { name: '测试甲' })).toBe('测试甲，欢迎');
    expect(renderTemplate('{name}，欢迎', {})).toBe('，欢迎');
    expect(renderTemplate('{name}', { name: 'a\u0007{b}' })).toBe('ab');
  });
});

describe('speech queue', () => {
  it('coalesces a lane, drops stale announcements and caps the backlog', () => {
    const q = new SpeechQueue({ maxAgeMs: 1000, maxPending: 2 });
    q.push({ text: '测试甲，欢迎', lane: 'l1', enqueuedAt: 0 });
    q.push({ text: '测试乙，欢迎', lane: 'l1', enqueuedAt: 10 });
    expect(q.length).toBe(1);
    q.push({ text: 'x', lane: 'l2', enqueuedAt: 20 });
    q.push({ text: 'y', lane: 'l3', enqueuedAt: 30 });
    expect(q.length).toBe(2);
    expect(q.next(500)?.text).toBe('x');
    expect(q.next(5000)).toBeUndefined(); // 'y' is stale by then
    expect(q.dropped).toBe(3);
  });
});

describe('espeak-ng announcer', () => {
  it('renders Mandarin to a non-empty WAV file', async () => {
    const path = join(scratchDir('wav'), 'welcome.wav');
    await speak('测试甲，欢迎', { wavPath: path });
    const wav = readFileSync(path);
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE');
    const dataAt = wav.indexOf('data');
    const dataLen = wav.readUInt32LE(dataAt + 4);
    expect(dataLen).toBeGreaterThan(8000); // > ~0.2 s of 22 kHz 16-bit audio
    const samples = new Int16Array(wav.buffer, wav.byteOffset + dataAt + 8, Math.floor(Math.min(dataLen, wav.length - dataAt - 8) / 2));
    expect(samples.some((s) => Math.abs(s) > 1000)).toBe(true); // not silence
  });

  it('speaks queued announcements one at a time and coalesces a burst on one lane', async () => {
    const wavDir = scratchDir('announcer');
    const a = new EspeakAnnouncer({ wavDir });
    const spoken: SpokenEvent[] = [];
    a.onSpoken((e) => spoken.push(e));
    expect(a.announce({ template: 'welcome', values: { name: '测试甲' }, lane: 'l1' })).toBe('测试甲，欢迎');
    for (const n of ['测试乙', '测试丙', '测试丁']) a.announce({ template: 'welcome', values: { name: n }, lane: 'l1' });
    expect(a.announce({ template: 'no_such_template' })).toBeNull();
    await a.drained();
    expect(spoken.map((s) => s.text)).toEqual(['测试甲，欢迎', '测试丁，欢迎']);
    expect(a.dropped).toBe(2);
    expect(statSync(spoken[1]!.wavPath!).size).toBeGreaterThan(1000);
    a.setTemplates({ welcome: '欢迎{name}进场' });
    expect(a.announce({ template: 'welcome', values: { name: '测试甲' } })).toBe('欢迎测试甲进场');
    await a.close();
  });

  it('reports offline health when espeak-ng cannot run', async () => {
    const a = new EspeakAnnouncer({ command: '/nonexistent/espeak-ng', wavDir: scratchDir('x') });
    const off = nextEvent<DeviceHealth>((l) => a.onHealth(l), (h) => h.state === 'offline');
    a.announce({ template: 'not_enrolled' });
    expect((await off).reason?.zh).toBe('语音播报不可用');
    await a.close();
  });
});
