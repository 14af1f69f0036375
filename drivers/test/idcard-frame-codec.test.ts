import { describe, expect, it } from 'vitest';
import {
  FrameAssembler,
  decodeFrame,
  describeStatus,
  encodeCommand,
  encodeReadData,
  encodeReply,
  parseCommand,
  parseReadData,
  parseReply,
} from '../src/idcard/frame-codec.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('GA/T 467 frame codec', () => {
  it('encodes the find-card command as the well-known bytes', () => {
    expect(hex(encodeCommand('findCard'))).toBe('aaaaaa96690003200122');
    expect(hex(encodeCommand('selectCard'))).toBe('aaaaaa96690003200221');
    expect(hex(encodeCommand('readTextPhoto'))).toBe('aaaaaa96690003300132');
    expect(hex(encodeCommand('reset'))).toBe('aaaaaa9669000310ffec');
  });

  it('decodes the "card found" reply with its status named', () => {
    const frame = Uint8Array.from(Buffer.from('aaaaaa9669000800009f0000000097', 'hex'));
    const body = decodeFrame(frame);
    expect(body.ok).toBe(true);
    if (!body.ok) return;
    const reply = parseReply(body.value);
    expect(reply.ok && reply.value.status.code).toBe('card_found');
  });

  it('names every listed status and reports unknown ones by hex', () => {
    expect(describeStatus(0, 0, 0x90).code).toBe('ok');
    expect(describeStatus(0, 0, 0x80).zh).toBe('寻找证/卡失败');
    expect(describeStatus(0, 0, 0x41).code).toBe('read_card_failed');
    expect(describeStatus(0, 0, 0x10).code).toBe('rx_checksum_error');
    expect(describeStatus(0, 0, 0x66).code).toBe('sam_unauthorized');
    const unknown = describeStatus(0x12, 0, 0x90);
    expect(unknown.code).toBe('unknown_status');
    expect(unknown.en).toContain('12 00 90');
  });

  it('rejects a frame with a wrong checksum, short length or bad preamble with typed errors', () => {
    const good = encodeReply(0x90);
    const badSum = good.slice();
    badSum[badSum.length - 1]! ^= 0xff;
    const r1 = decodeFrame(badSum);
    expect(!r1.ok && r1.code).toBe('bad_checksum');
    const r2 = decodeFrame(good.slice(0, good.length - 1));
    expect(!r2.ok && r2.code).toBe('truncated');
    const badPre = good.slice();
    badPre[3] = 0x00;
    const r3 = decodeFrame(badPre);
    expect(!r3.ok && r3.code).toBe('bad_preamble');
  });

  it('round-trips a read reply with text, photo and fingerprint', () => {
    const text = new Uint8Array(256).fill(0x20);
    const photo = new Uint8Array(1024).map((_, i) => i & 0xff);
    const fp = new Uint8Array(1024).fill(7);
    const frame = encodeReply(0x90, encodeReadData(text, photo, fp));
    expect(frame.length).toBe(7 + 3 + 6 + 256 + 1024 + 1024 + 1);
    const body = decodeFrame(frame);
    if (!body.ok) throw new Error(body.code);
    const reply = parseReply(body.value);
    if (!reply.ok) throw new Error(reply.code);
    const data = parseReadData(reply.value.data, true);
    expect(data.ok).toBe(true);
    if (data.ok) {
      expect(data.value.photo).toEqual(photo);
      expect(data.value.fingerprint).toEqual(fp);
    }
    const wrong = parseReadData(reply.value.data, false);
    expect(!wrong.ok && wrong.code).toBe('bad_length');
  });

  it('assembles frames split across chunks, skipping garbage in between', () => {
    const a = encodeCommand('findCard');
    const b = encodeReply(0x9f, new Uint8Array(4));
    const stream = Uint8Array.from([0x01, 0xaa, 0x02, ...a, 0xaa, 0xaa, ...b]);
    const asm = new FrameAssembler();
    const frames: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 3) {
      for (const e of asm.push(stream.slice(i, i + 3))) if (e.kind === 'frame') frames.push(e.body);
    }
    expect(frames.length).toBe(2);
    const cmd = parseCommand(frames[0]!);
    expect(cmd.ok && cmd.value.name).toBe('findCard');
    expect(asm.pending).toBeLessThan(5);
  });

  it('reports an oversized length field and resynchronises on the next frame', () => {
    const asm = new FrameAssembler();
    const junk = Uint8Array.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, 1, 2, 3]);
    const events = asm.push(Uint8Array.from([...junk, ...encodeReply(0x90)]));
    expect(events.map((e) => e.kind)).toEqual(['error', 'frame']);
  });
});
