import { describe, expect, it } from 'vitest';
import {
  ConverterFrameSplitter,
  decodeConverterFrame,
  encodeConverterFrame,
} from '../src/wiegand/converter-codec.js';
import { decodeWiegand, encodeWiegand } from '../src/wiegand/wiegand-codec.js';
import {
  coilFromBytes,
  crc16modbus,
  decodeRequest,
  decodeResponse,
  encodeException,
  encodeReadCoils,
  encodeReadCoilsResponse,
  encodeWriteSingleCoil,
} from '../src/modbus/modbus-codec.js';
import { decodeLcus, encodeLcus, formatLcusStatus, parseLcusStatus } from '../src/lcus/lcus-codec.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('Wiegand 26/34', () => {
  it('encodes the H10301 example facility 1 card 1 with both parity bits', () => {
    // data = 00000001 0000000000000001: first half has 1 one → even parity 1; second half 1 one → odd parity 0
    const r = encodeWiegand({ format: 26, facility: 1, card: 1 });
    expect(r.ok && r.value.join('')).toBe('1' + '00000001' + '0000000000000001' + '0');
  });

  it('round-trips W26 and W34 and detects a flipped parity bit on either side', () => {
    for (const format of [26, 34] as const) {
      const r = encodeWiegand({ format, facility: format === 26 ? 200 : 54321, card: 65535 });
      if (!r.ok) throw new Error(r.code);
      expect(decodeWiegand(r.value)).toEqual({ ok: true, value: { format, facility: format === 26 ? 200 : 54321, card: 65535 } });
      const first = [...r.value];
      first[0] = 1 - first[0]!;
      const e1 = decodeWiegand(first);
      expect(!e1.ok && e1.code).toBe('bad_even_parity');
      const last = [...r.value];
      last[last.length - 1] = 1 - last[last.length - 1]!;
      const e2 = decodeWiegand(last);
      expect(!e2.ok && e2.code).toBe('bad_odd_parity');
    }
  });

  it('refuses values that do not fit the format', () => {
    const r = encodeWiegand({ format: 26, facility: 256, card: 1 });
    expect(!r.ok && r.code).toBe('out_of_range');
    const r2 = decodeWiegand([1, 0, 1]);
    expect(!r2.ok && r2.code).toBe('bad_bit_count');
  });

  it('frames a credential for the serial converter and splits a noisy stream back', () => {
    const f = encodeConverterFrame({ format: 34, facility: 7, card: 4242 });
    if (!f.ok) throw new Error(f.code);
    expect(f.value[0]).toBe(0x02);
    expect(f.value.length).toBe(9);
    expect(decodeConverterFrame(f.value)).toEqual({ ok: true, value: { format: 34, facility: 7, card: 4242 } });
    const splitter = new ConverterFrameSplitter();
    const out = [...splitter.push(Uint8Array.of(0x55, ...f.value.slice(0, 3))), ...splitter.push(f.value.slice(3))];
    expect(out).toEqual([{ ok: true, value: { format: 34, facility: 7, card: 4242 } }]);
  });
});

describe('Modbus RTU', () => {
  it('produces the documented coil-0 on/off frames (CRC-16/MODBUS)', () => {
    expect(hex(encodeWriteSingleCoil(1, 0, true))).toBe('01050000ff008c3a');
    expect(hex(encodeWriteSingleCoil(1, 0, false))).toBe('010500000000cdca');
    expect(crc16modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('decodes a read-coils reply and a request', () => {
    const resp = decodeResponse(encodeReadCoilsResponse(1, [false, true, false, false, false, false, false, false, true]));
    expect(resp.ok && resp.value.kind).toBe('read_coils');
    if (resp.ok && resp.value.kind === 'read_coils') {
      expect(coilFromBytes(resp.value.bytes, 1)).toBe(true);
      expect(coilFromBytes(resp.value.bytes, 8)).toBe(true);
      expect(coilFromBytes(resp.value.bytes, 0)).toBe(false);
    }
    expect(decodeRequest(encodeReadCoils(3, 16, 8))).toEqual({ ok: true, value: { kind: 'read_coils', unit: 3, start: 16, quantity: 8 } });
  });

  it('names exception responses', () => {
    const r = decodeResponse(encodeException(1, 5, 2));
    expect(r.ok && r.value.kind === 'exception' && r.value.code).toBe('illegal_data_address');
    expect(r.ok && r.value.kind === 'exception' && r.value.fn).toBe(5);
  });

  it('rejects a corrupted CRC with a typed error', () => {
    const f = encodeWriteSingleCoil(1, 0, true);
    f[7] = (f[7] ?? 0) ^ 1;
    const r = decodeResponse(f);
    expect(!r.ok && r.code).toBe('bad_crc');
  });
});

describe('LCUS relay', () => {
  it('produces A0 01 01 A2 / A0 01 00 A1 and validates the sum', () => {
    expect(hex(encodeLcus(1, true))).toBe('a00101a2');
    expect(hex(encodeLcus(1, false))).toBe('a00100a1');
    expect(decodeLcus(encodeLcus(2, true))).toEqual({ ok: true, value: { channel: 2, on: true } });
    const bad = decodeLcus(Uint8Array.of(0xa0, 1, 1, 0xa3));
    expect(!bad.ok && bad.code).toBe('bad_checksum');
  });

  it('parses the status text of multi-channel boards', () => {
    const r = parseLcusStatus(formatLcusStatus([true, false]));
    expect(r.ok && [...r.value]).toEqual([
      [1, true],
      [2, false],
    ]);
    const bad = parseLcusStatus('garbage');
    expect(!bad.ok && bad.code).toBe('bad_status');
  });
});
