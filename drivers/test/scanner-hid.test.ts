// Code scanner: the HID transport needs a real USB scanner, so only the pure decoding and the
// "no device" health path are exercised here.
import { describe, expect, it } from 'vitest';
import {
  decodeHidPosReport,
  decodeKeyboardReports,
  encodeHidPosReports,
  encodeKeyboardReports,
} from '../src/scanner/hid-codec.js';
import { HidCodeScanner, ScanDecoder } from '../src/scanner/hid-scanner.js';

describe('keyboard-wedge decoding', () => {
  it('turns HID usage codes with shift into a visitor-pass code ended by Enter', () => {
    const text = 'SGV1:Visitor-42?k=Ab_9';
    const r = decodeKeyboardReports(encodeKeyboardReports(text));
    expect(r).toEqual({ ok: true, value: { codes: [text], rest: '' } });
  });

  it('counts a held key once and keeps text after the last Enter as rest', () => {
    const a = Uint8Array.of(0, 0, 0x04, 0, 0, 0, 0, 0);
    const ab = Uint8Array.of(0, 0, 0x04, 0x05, 0, 0, 0, 0);
    const r = decodeKeyboardReports([a, a, ab, new Uint8Array(8)]);
    expect(r.ok && r.value).toEqual({ codes: [], rest: 'ab' });
    const bad = decodeKeyboardReports([Uint8Array.of(1, 2, 3)]);
    expect(!bad.ok && bad.code).toBe('bad_report');
  });
});

describe('HID-POS decoding', () => {
  it('joins multi-report codes with the symbology identifier', () => {
    const text = 'https://example.invalid/visitor/' + 'x'.repeat(100);
    const reports = encodeHidPosReports(text);
    expect(reports.length).toBe(3);
    const first = decodeHidPosReport(reports[0]!);
    expect(first.ok && first.value.symbology).toBe(']Q1');
    expect(first.ok && first.value.more).toBe(true);
    const d = new ScanDecoder('hid_pos');
    const out = reports.flatMap((r) => d.push(r, 0));
    expect(out).toEqual([text]);
  });

  it('drops a repeat scan of the same code within the de-duplication window', () => {
    const d = new ScanDecoder('keyboard_wedge', 1000);
    const reps = encodeKeyboardReports('PASS1');
    expect(reps.flatMap((r) => d.push(r, 0))).toEqual(['PASS1']);
    expect(reps.flatMap((r) => d.push(r, 500))).toEqual([]);
    expect(reps.flatMap((r) => d.push(r, 2000))).toEqual(['PASS1']);
  });

  it('rejects a report with the wrong id or an impossible length', () => {
    const r = decodeHidPosReport(Uint8Array.of(0x01, 0, 0, 0, 0, 0));
    expect(!r.ok && r.code).toBe('bad_report_id');
    const r2 = decodeHidPosReport(Uint8Array.of(0x02, 60, 0, 0, 0, 0, 0, 0));
    expect(!r2.ok && r2.code).toBe('bad_length');
  });
});

describe('node-hid scanner transport', () => {
  it('reports offline with a reason when no scanner with that id is plugged in', async () => {
    const s = new HidCodeScanner({ vendorId: 0xfffe, productId: 0xfffd, mode: 'hid_pos', rescanMs: 200 });
    await s.start();
    expect(s.health().state).toBe('offline');
    expect(s.health().reason?.en).toContain('fffe:fffd');
    await s.stop();
  });
});
