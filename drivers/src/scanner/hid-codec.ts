// QR/barcode scanners over USB HID, pure functions.
// Keyboard-wedge mode: 8-byte boot keyboard reports [modifiers, reserved, key1..key6]; a key
// counts when it appears (pressed) and was not down in the previous report; Enter ends a code.
// HID-POS mode (usage page 0x8C, common 64-byte layout): [report id 0x02][length n][n data
// bytes][padding][3 AIM symbology bytes][flags: bit0 = more reports follow].
import { codecError, ok, type CodecResult } from '../errors.js';

const SHIFT = 0x02 | 0x20;
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;

/** usage → [unshifted, shifted] (US layout, what scanners emulate). */
const USAGES: ReadonlyMap<number, readonly [string, string]> = (() => {
  const m = new Map<number, readonly [string, string]>();
  for (let i = 0; i < 26; i++) m.set(0x04 + i, [String.fromCharCode(97 + i), String.fromCharCode(65 + i)]);
  const digits = '1234567890';
  const shiftedDigits = '!@#$%^&*()';
  for (let i = 0; i < 10; i++) m.set(0x1e + i, [digits[i]!, shiftedDigits[i]!]);
  const rest: [number, string, string][] = [
    [0x2b, '\t', '\t'], [0x2c, ' ', ' '], [0x2d, '-', '_'], [0x2e, '=', '+'], [0x2f, '[', '{'], [0x30, ']', '}'],
    [0x31, '\\', '|'], [0x33, ';', ':'], [0x34, "'", '"'], [0x35, '`', '~'], [0x36, ',', '<'], [0x37, '.', '>'], [0x38, '/', '?'],
  ];
  for (const [u, a, b] of rest) m.set(u, [a, b]);
  // Keypad digits and operators
  const kp = '1234567890';
  for (let i = 0; i < 10; i++) m.set(0x59 + i, [kp[i]!, kp[i]!]);
  m.set(0x54, ['/', '/']).set(0x55, ['*', '*']).set(0x56, ['-', '-']).set(0x57, ['+', '+']).set(0x63, ['.', '.']);
  return m;
})();

export function usageToChar(usage: number, shifted: boolean): string | undefined {
  const e = USAGES.get(usage);
  return e ? e[shifted ? 1 : 0] : undefined;
}

export interface KeyboardDecodeResult {
  /** Complete codes (terminated by Enter). */
  codes: string[];
  /** Text typed after the last Enter (an incomplete code). */
  rest: string;
}

/** Stateful keyboard-wedge decoder: feed reports one by one. */
export class KeyboardWedgeDecoder {
  private down = new Set<number>();
  private current = '';

  push(report: Uint8Array): CodecResult<string[]> {
    if (report.length !== 8) return codecError('bad_report', '键盘报告长度错误', `Keyboard report must be 8 bytes, got ${report.length}`);
    const mods = report[0] as number;
    const keys = Array.from(report.slice(2)).filter((k) => k !== 0);
    if (keys.some((k) => k === 0x01)) return codecError('rollover', '按键过多', 'Keyboard roll-over error report');
    const codes: string[] = [];
    for (const k of keys) {
      if (this.down.has(k)) continue;
      if (k === ENTER || k === KEYPAD_ENTER) {
        codes.push(this.current);
        this.current = '';
      } else {
        const ch = usageToChar(k, (mods & SHIFT) !== 0);
        if (ch !== undefined) this.current += ch;
        if (this.current.length > 4096) return codecError('too_long', '条码过长', 'Code longer than 4096 characters');
      }
    }
    this.down = new Set(keys);
    return ok(codes);
  }

  get rest(): string {
    return this.current;
  }
}

export function decodeKeyboardReports(reports: readonly Uint8Array[]): CodecResult<KeyboardDecodeResult> {
  const d = new KeyboardWedgeDecoder();
  const codes: string[] = [];
  for (const r of reports) {
    const out = d.push(r);
    if (!out.ok) return out;
    codes.push(...out.value);
  }
  return ok({ codes, rest: d.rest });
}

/** Builds keyboard reports that type `text` + Enter (press/release pairs), for tests and demo. */
export function encodeKeyboardReports(text: string): Uint8Array[] {
  const reports: Uint8Array[] = [];
  const reverse = new Map<string, [number, boolean]>();
  for (const [u, [a, b]] of USAGES) {
    if (!reverse.has(a)) reverse.set(a, [u, false]);
    if (!reverse.has(b)) reverse.set(b, [u, true]);
  }
  for (const ch of text) {
    const e = reverse.get(ch);
    if (!e) throw new RangeError(`cannot type '${ch}' on a US keyboard`);
    reports.push(Uint8Array.of(e[1] ? 0x02 : 0, 0, e[0], 0, 0, 0, 0, 0), new Uint8Array(8));
  }
  reports.push(Uint8Array.of(0, 0, ENTER, 0, 0, 0, 0, 0), new Uint8Array(8));
  return reports;
}

export interface HidPosChunk {
  data: Uint8Array;
  /** AIM symbology identifier, e.g. ']Q1' for QR. Empty when not sent. */
  symbology: string;
  more: boolean;
}

export const HID_POS_REPORT_ID = 0x02;

export function decodeHidPosReport(report: Uint8Array): CodecResult<HidPosChunk> {
  if (report.length < 6) return codecError('truncated', 'HID-POS 报告过短', 'HID-POS report too short');
  if (report[0] !== HID_POS_REPORT_ID) return codecError('bad_report_id', 'HID-POS 报告号错误', `Unexpected report id ${report[0]}`);
  const n = report[1] as number;
  if (2 + n > report.length - 4) return codecError('bad_length', 'HID-POS 长度错误', 'Data length exceeds the report');
  const sym = report.slice(report.length - 4, report.length - 1);
  const symbology = sym.every((b) => b === 0) ? '' : String.fromCharCode(...sym);
  return ok({ data: report.slice(2, 2 + n), symbology, more: ((report[report.length - 1] as number) & 1) === 1 });
}

export function encodeHidPosReports(text: string, symbology = ']Q1', reportSize = 64): Uint8Array[] {
  const data = new TextEncoder().encode(text);
  const per = reportSize - 6;
  const reports: Uint8Array[] = [];
  for (let off = 0; off === 0 || off < data.length; off += per) {
    const chunk = data.slice(off, off + per);
    const r = new Uint8Array(reportSize);
    r[0] = HID_POS_REPORT_ID;
    r[1] = chunk.length;
    r.set(chunk, 2);
    for (let i = 0; i < 3; i++) r[reportSize - 4 + i] = symbology.charCodeAt(i) & 0xff;
    r[reportSize - 1] = off + per < data.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}

/** Joins HID-POS chunks until a report without the "more" flag; decodes UTF-8. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];

  push(report: Uint8Array): CodecResult<string | null> {
    const c = decodeHidPosReport(report);
    if (!c.ok) return c;
    this.parts.push(c.value.data);
    if (this.parts.length > 256) {
      this.parts = [];
      return codecError('too_long', '条码过长', 'Code spans too many reports');
    }
    if (c.value.more) return ok(null);
    const total = Buffer.concat(this.parts);
    this.parts = [];
    return ok(new TextDecoder('utf-8', { fatal: false }).decode(total));
  }
}
