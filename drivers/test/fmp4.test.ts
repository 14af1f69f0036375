// The fMP4 splitter of the live view's pass-through against real ffmpeg output (H.264 and
// H.265 copied into fragmented MP4), fed in small chunks as a pipe would.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Fmp4Splitter, codecOfInit, readBoxes, type Fmp4Part } from '../src/frames/fmp4.js';
import { remuxArgs } from '../src/frames/ffmpeg-remux.js';

function encode(codec: 'h264' | 'h265'): Buffer {
  const enc = codec === 'h264' ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high'] : ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=none'];
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '3', ...enc, '-g', '15', '-bf', '0', '-pix_fmt', 'yuv420p', '-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe', '-frag_duration', '100000', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 });
}

function split(bytes: Buffer, chunk: number): Fmp4Part[] {
  const s = new Fmp4Splitter();
  const parts: Fmp4Part[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(...s.push(bytes.subarray(i, i + chunk)));
  return parts;
}

describe('fragmented MP4 splitter', () => {
  it.each([
    ['h264', /^avc1\.[0-9a-f]{6}$/],
    ['h265', /^(hev1|hvc1)\.1\.6\.L\d+/],
  ] as const)('%s: one init with the codec string, then fragments; a keyframe every 15 frames', (codec, pattern) => {
    const bytes = encode(codec);
    const parts = split(bytes, 777);
    const [init, ...frags] = parts;
    expect(init?.kind).toBe('init');
    if (init?.kind === 'init') expect(init.codec).toMatch(pattern);
    expect(frags.every((f) => f.kind === 'fragment')).toBe(true);
    const keys = frags.map((f) => f.kind === 'fragment' && f.keyframe);
    expect(keys[0]).toBe(true);
    expect(keys.filter(Boolean).length).toBe(3); // 3 s at 15 fps, GOP 15
    expect(keys.some((k) => !k)).toBe(true);
    // Nothing lost: the parts are the stream, byte for byte, up to the index ffmpeg appends when a file ends (mfra).
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.bytes)));
    expect(Buffer.compare(joined, bytes.subarray(0, joined.length))).toBe(0);
    expect(readBoxes(bytes, joined.length).map((b) => b.type)).toEqual(['mfra']);
  });

  it('gives the same parts however the stream is chunked', () => {
    const bytes = encode('h264');
    const a = split(bytes, 1).map((p) => p.bytes.length);
    const b = split(bytes, 65536).map((p) => p.bytes.length);
    expect(a).toEqual(b);
  });

  it('reads no codec from a stream without one and refuses an impossible box size', () => {
    expect(codecOfInit(new Uint8Array(16))).toBeNull();
    const bad = Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66]);
    expect(() => readBoxes(bad)).toThrow(RangeError);
  });

  it('remuxes with -c copy (never re-encodes) over RTSP/TCP into fragmented MP4 on stdout', () => {
    const args = remuxArgs({ input: 'rtsp://cam/live' });
    expect(args.join(' ')).toContain('-c:v copy');
    expect(args.join(' ')).toContain('-rtsp_transport tcp');
    expect(args.join(' ')).toContain('empty_moov+default_base_moof+frag_keyframe');
    expect(args.at(-1)).toBe('pipe:1');
    expect(args).not.toContain('libx264');
  });
});
