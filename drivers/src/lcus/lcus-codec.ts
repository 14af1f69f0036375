// CH340 "LCUS" USB relay boards (9600 8N1), pure functions.
// Command: A0 | channel (1-based) | state (01 on, 00 off) | sum of the three bytes & 0xFF.
// Multi-channel boards answer the status query FF with lines like "CH1:ON\r\n" or "CH1:OFF".
import { codecError, ok, type CodecResult } from '../errors.js';

export const LCUS_HEAD = 0xa0;
export const LCUS_STATUS_QUERY = Uint8Array.of(0xff);

export function encodeLcus(channel: number, on: boolean): Uint8Array {
  if (!Number.isInteger(channel) || channel < 1 || channel > 8) throw new RangeError('LCUS channel must be 1–8');
  const state = on ? 1 : 0;
  return Uint8Array.of(LCUS_HEAD, channel, state, (LCUS_HEAD + channel + state) & 0xff);
}

export function decodeLcus(frame: Uint8Array): CodecResult<{ channel: number; on: boolean }> {
  if (frame.length !== 4) return codecError('bad_length', '命令长度错误', 'LCUS command is 4 bytes');
  if (frame[0] !== LCUS_HEAD) return codecError('bad_start', '命令头错误', 'LCUS command starts with A0');
  const channel = frame[1] as number;
  const state = frame[2] as number;
  if (channel < 1 || channel > 8) return codecError('bad_channel', '通道号错误', `Bad channel ${channel}`);
  if (state > 1) return codecError('bad_state', '状态字节错误', `Bad state ${state}`);
  if (((LCUS_HEAD + channel + state) & 0xff) !== frame[3]) return codecError('bad_checksum', '校验和错误', 'Sum mismatch');
  return ok({ channel, on: state === 1 });
}

/** Parses "CH1:ON\r\nCH2:OFF\r\n" status text. */
export function parseLcusStatus(text: string): CodecResult<Map<number, boolean>> {
  const out = new Map<number, boolean>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^CH(\d):(ON|OFF)\s*$/i.exec(line.trim());
    if (!m) return codecError('bad_status', '状态文本错误', `Unparsable status line '${line.slice(0, 20)}'`);
    out.set(Number(m[1]), (m[2] as string).toUpperCase() === 'ON');
  }
  return ok(out);
}

export function formatLcusStatus(states: readonly boolean[]): string {
  return states.map((on, i) => `CH${i + 1}:${on ? 'ON' : 'OFF'}\r\n`).join('');
}
