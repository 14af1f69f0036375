// The announcer's Mandarin as it is heard: espeak-ng's phonemes for a name with the pinyin voice
// (tones as tones, never English digit words), symbols never read aloud, refusals that say what
// to do, a fault when no sound device plays (this CI machine has none), and the Windows SAPI
// command line (built and checked here; it runs only on Windows).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../edge-core/src/ports/devices.js';
import { spokenRefusal } from '../../edge-core/src/index.js';
import { EspeakAnnouncer } from '../src/announcer/espeak-announcer.js';
import { DEFAULT_ESPEAK_VOICE, espeakArgs, noAudioDevice, sapiCommand, sapiRate, speakable } from '../src/announcer/speech-engines.js';
import { renderTemplate, DEFAULT_TEMPLATES } from '../src/announcer/templates.js';
import { nextEvent } from './helpers.js';
import { existsSync } from 'node:fs';

const phonemes = (voice: string, text: string): string => execFileSync('espeak-ng', ['-v', voice, '-x', '-q', '--', text], { encoding: 'utf8' }).trim();

describe('Mandarin voice', () => {
  it('speaks a name with tones in pinyin (the cmn voice says English words for the tone digits)', () => {
    expect(DEFAULT_ESPEAK_VOICE).toBe('cmn-latn-pinyin');
    const name = phonemes(DEFAULT_ESPEAK_VOICE, '张伟，欢迎');
    // zhang1 wei3 huan1 ying2: tone contours 55, 214, 55/11, 35, and no switch to English.
    expect(name).toMatch(/ts\.'a55N/);
    expect(name).toMatch(/w'ei214/);
    expect(name).toMatch(/j'i35N/);
    expect(name).not.toContain('(en)');
    // What the old default did: English words appear for 欢迎.
    expect(phonemes('cmn', '欢迎')).toContain('(en)');
  });

  it('never reads symbols aloud', () => {
    expect(speakable('通道1/2_入口')).toBe('通道1，2，入口');
    expect(speakable('a\u0000b  //  c')).toBe('a b，c');
    expect(phonemes(DEFAULT_ESPEAK_VOICE, '通道1/2')).toContain('(en)'); // "slash" in English
    expect(phonemes(DEFAULT_ESPEAK_VOICE, speakable('通道1/2'))).not.toContain('(en)');
    expect(espeakArgs('你好', { speed: 160 })).toEqual(['-v', 'cmn-latn-pinyin', '-s', '160', '--', '你好']);
  });

  it('refusals say what to do', () => {
    expect(renderTemplate(DEFAULT_TEMPLATES.refused as string, { reason: spokenRefusal('未戴安全帽') })).toBe('未通过，未戴安全帽，请联系劳务员');
    expect(renderTemplate(DEFAULT_TEMPLATES.refused as string, { reason: spokenRefusal('') })).toBe('未通过，请联系劳务员');
    expect(spokenRefusal('闸机离线，暂停通行，请联系管理员')).toBe('闸机离线，暂停通行，请联系管理员');
  });

  it.runIf(!existsSync('/dev/snd'))('reports a fault when no sound device plays (this machine has none)', async () => {
    const a = new EspeakAnnouncer({ deviceId: 'voice-1' });
    expect(a.health().state).toBe('ok');
    const fault = nextEvent<DeviceHealth>((l) => a.onHealth(l), (h) => h.state === 'offline', 15_000);
    a.announce({ template: 'welcome', values: { name: '测试甲' }, lane: 'lane-1' });
    const h = await fault;
    expect(h.reason?.zh).toBe('没有可用的音箱或声卡，语音播报无声');
    await a.close();
  });

  it('recognises espeak-ng’s no-device messages and not a clean run', () => {
    expect(noAudioDevice("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\nerror: No such file or directory")).toBe(true);
    expect(noAudioDevice('')).toBe(false);
  });

  it('Windows: SAPI through PowerShell, text on stdin, zh-CN voice, rate from the speed', () => {
    const c = sapiCommand({ speed: 220, wavPath: "C:\\out\\it's.wav" });
    expect(c.command).toBe('powershell.exe');
    expect(c.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
    const script = c.args[5] as string;
    expect(script).toContain('Add-Type -AssemblyName System.Speech');
    expect(script).toContain("Culture.Name -eq 'zh-CN'");
    expect(script).toContain('$s.Rate = 2;');
    expect(script).toContain("SetOutputToWaveFile('C:\\out\\it''s.wav')");
    expect(script).toContain('[Console]::In.ReadToEnd()');
    expect(sapiCommand({}).args[5]).toContain('SetOutputToDefaultAudioDevice');
    expect([sapiRate(80), sapiRate(180), sapiRate(450)]).toEqual([-5, 0, 10]);
  });
});
