// Modbus RTU for relay boards, pure functions: write single coil (0x05), read coils (0x01),
// exception responses, CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF, low byte first).
import { codecError, ok, type CodecResult } from '../errors.js';

export const FN_READ_COILS = 0x01;
export const FN_WRITE_SINGLE_COIL = 0x05;

export const EXCEPTIONS: Readonly<Record<number, { code: string; zh: string; en: string }>> = {
  0x01: { code: 'illegal_function', zh: '非法功能码', en: 'Illegal function' },
  0x02: { code: 'illegal_data_address', zh: '非法数据地址', en: 'Illegal data address' },
  0x03: { code: 'illegal_data_value', zh: '非法数据值', en: 'Illegal data value' },
  0x04: { code: 'server_device_failure', zh: '从站设备故障', en: 'Server device failure' },
  0x05: { code: 'acknowledge', zh: '已确认，处理中', en: 'Acknowledge (processing)' },
  0x06: { code: 'server_device_busy', zh: '从站设备忙', en: 'Server device busy' },
  0x08: { code: 'memory_parity_error', zh: '存储奇偶性错误', en: 'Memory parity error' },
  0x0a: { code: 'gateway_path_unavailable', zh: '网关路径不可用', en: 'Gateway path unavailable' },
  0x0b: { code: 'gateway_target_failed', zh: '网关目标设备无响应', en: 'Gateway target device failed to respond' },
};

export function crc16modbus(bytes: Uint8Array, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i] as number;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

function withCrc(pdu: number[]): Uint8Array {
  const out = new Uint8Array(pdu.length + 2);
  out.set(pdu);
  const crc = crc16modbus(out, pdu.length);
  out[pdu.length] = crc & 0xff;
  out[pdu.length + 1] = crc >> 8;
  return out;
}

function crcOk(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const crc = crc16modbus(frame, frame.length - 2);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >> 8;
}

function checkAddr(unit: number, addr: number): void {
  if (!Number.isInteger(unit) || unit < 0 || unit > 247) throw new RangeError('Modbus unit id must be 0–247');
  if (!Number.isInteger(addr) || addr < 0 || addr > 0xffff) throw new RangeError('Modbus address must be 0–65535');
}

export function encodeWriteSingleCoil(unit: number, coil: number, on: boolean): Uint8Array {
  checkAddr(unit, coil);
  return withCrc([unit, FN_WRITE_SINGLE_COIL, coil >> 8, coil & 0xff, on ? 0xff : 0x00, 0x00]);
}

export function encodeReadCoils(unit: number, start: number, quantity: number): Uint8Array {
  checkAddr(unit, start);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 2000) throw new RangeError('quantity must be 1–2000');
  return withCrc([unit, FN_READ_COILS, start >> 8, start & 0xff, quantity >> 8, quantity & 0xff]);
}

export type ModbusRequest =
  | { kind: 'write_coil'; unit: number; coil: number; on: boolean }
  | { kind: 'read_coils'; unit: number; start: number; quantity: number }
  | { kind: 'other'; unit: number; fn: number };

/** Decodes one 8-byte request (the simulator's side). */
export function decodeRequest(frame: Uint8Array): CodecResult<ModbusRequest> {
  if (frame.length !== 8) return codecError('bad_length', '请求长度错误', 'Request must be 8 bytes');
  if (!crcOk(frame)) return codecError('bad_crc', 'CRC 校验错误', 'CRC mismatch');
  const unit = frame[0] as number;
  const fn = frame[1] as number;
  const a = ((frame[2] as number) << 8) | (frame[3] as number);
  const v = ((frame[4] as number) << 8) | (frame[5] as number);
  if (fn === FN_WRITE_SINGLE_COIL) {
    if (v !== 0xff00 && v !== 0x0000) return ok({ kind: 'other', unit, fn });
    return ok({ kind: 'write_coil', unit, coil: a, on: v === 0xff00 });
  }
  if (fn === FN_READ_COILS) return ok({ kind: 'read_coils', unit, start: a, quantity: v });
  return ok({ kind: 'other', unit, fn });
}

export function encodeWriteCoilResponse(unit: number, coil: number, on: boolean): Uint8Array {
  return encodeWriteSingleCoil(unit, coil, on); // the response echoes the request
}

export function encodeReadCoilsResponse(unit: number, bits: readonly boolean[]): Uint8Array {
  const n = Math.ceil(bits.length / 8);
  const data = new Array<number>(n).fill(0);
  bits.forEach((b, i) => {
    if (b) data[i >> 3]! |= 1 << (i & 7);
  });
  return withCrc([unit, FN_READ_COILS, n, ...data]);
}

export function encodeException(unit: number, fn: number, exception: number): Uint8Array {
  return withCrc([unit, (fn | 0x80) & 0xff, exception]);
}

export type ModbusResponse =
  | { kind: 'write_coil'; unit: number; coil: number; on: boolean }
  | { kind: 'read_coils'; unit: number; bytes: Uint8Array }
  | { kind: 'exception'; unit: number; fn: number; exception: number; code: string; zh: string; en: string };

/**
 * How many bytes the response starting at `buf` needs, or null when more bytes are needed to
 * know; -1 when the function byte is not one we asked for.
 */
export function responseLength(buf: Uint8Array): number | null {
  if (buf.length < 2) return null;
  const fn = buf[1] as number;
  if (fn & 0x80) return 5;
  if (fn === FN_WRITE_SINGLE_COIL) return 8;
  if (fn === FN_READ_COILS) return buf.length < 3 ? null : 5 + (buf[2] as number);
  return -1;
}

export function decodeResponse(frame: Uint8Array): CodecResult<ModbusResponse> {
  const len = responseLength(frame);
  if (len === null) return codecError('truncated', '应答不完整', 'Response too short');
  if (len === -1) return codecError('unexpected_function', '应答功能码错误', `Unexpected function 0x${(frame[1] ?? 0).toString(16)}`);
  if (frame.length !== len) return codecError('bad_length', '应答长度错误', `Expected ${len} bytes, got ${frame.length}`);
  if (!crcOk(frame)) return codecError('bad_crc', 'CRC 校验错误', 'CRC mismatch');
  const unit = frame[0] as number;
  const fn = frame[1] as number;
  if (fn & 0x80) {
    const exception = frame[2] as number;
    const known = EXCEPTIONS[exception] ?? {
      code: 'unknown_exception',
      zh: `未知异常码 ${exception}`,
      en: `Unknown exception ${exception}`,
    };
    return ok({ kind: 'exception', unit, fn: fn & 0x7f, exception, ...known });
  }
  if (fn === FN_WRITE_SINGLE_COIL) {
    const v = ((frame[4] as number) << 8) | (frame[5] as number);
    if (v !== 0xff00 && v !== 0) return codecError('bad_value', '线圈值错误', 'Coil value must be FF00 or 0000');
    return ok({ kind: 'write_coil', unit, coil: ((frame[2] as number) << 8) | (frame[3] as number), on: v === 0xff00 });
  }
  return ok({ kind: 'read_coils', unit, bytes: frame.slice(3, len - 2) });
}

export function coilFromBytes(bytes: Uint8Array, index: number): boolean {
  return (((bytes[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
}
