// The live view's choices in the UI, as pure functions: pass-through only for a codec the
// browser says it can play, the stream's subprotocols (token never in the URL), and the MJPEG
// reader that finds the JPEGs of the core's multipart stream however it is chunked.
import { describe, expect, it } from 'vitest';
import { MultipartJpegReader, canPlayPassthrough, liveSocketUrl, streamProtocols } from '../../ui/src/lib/live-video.js';

describe('live video logic', () => {
  it('plays pass-through only when MediaSource says the codec is supported', () => {
    const ms = { isTypeSupported: (m: string) => m.includes('avc1') };
    expect(canPlayPassthrough('video/mp4; codecs="avc1.42c01e"', ms)).toBe(true);
    expect(canPlayPassthrough('video/mp4; codecs="hev1.1.6.L93.B0"', ms)).toBe(false);
    expect(canPlayPassthrough('video/mp4; codecs="avc1.42c01e"', undefined)).toBe(false);
  });

  it('carries the token in a subprotocol, never in the URL', () => {
    expect(streamProtocols('abc')).toEqual(['sitegate.v1', 'sitegate.auth.abc']);
    expect(streamProtocols(null)).toEqual(['sitegate.v1']);
    expect(liveSocketUrl('lane-1', { protocol: 'https:', host: 'gate.local:8686' })).toBe('wss://gate.local:8686/api/lanes/lane-1/live.mp4');
    expect(liveSocketUrl('lane 2', { protocol: 'http:', host: '127.0.0.1:1' })).toBe('ws://127.0.0.1:1/api/lanes/lane%202/live.mp4');
  });

  it('reads the JPEGs of a multipart/x-mixed-replace stream in any chunking', () => {
    const jpegs = [Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]), Buffer.from([0xff, 0xd8, 13, 10, 13, 10, 9, 0xff, 0xd9])];
    const stream = Buffer.concat(jpegs.flatMap((j) => [Buffer.from(`--sitegateframe\r\nContent-Type: image/jpeg\r\nContent-Length: ${j.length}\r\n\r\n`), j, Buffer.from('\r\n')]));
    for (const size of [1, 3, 7, stream.length]) {
      const r = new MultipartJpegReader();
      const got: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) got.push(...r.push(stream.subarray(i, i + size)).map((x) => Buffer.from(x)));
      expect(got).toEqual(jpegs);
    }
  });
});
