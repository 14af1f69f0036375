// Playing a lane's camera in the browser, best first:
//  1. pass-through: the camera's own H.264/H.265 as fragmented MP4 over a WebSocket, fed to
//     Media Source Extensions — when the browser can decode the codec
//     (`MediaSource.isTypeSupported`; Chromium plays HEVC only with a platform decoder);
//  2. MJPEG: JPEG frames re-encoded by the core at ≤ 5 fps, read with fetch (so the session's
//     token goes in a header, not in the URL) and shown one by one;
//  3. a still frame every 2 s when the MJPEG stream cannot be read.
// Each player calls `fallback(reason)` when it cannot go on; the component then tries the next.

export type LiveMode = 'connecting' | 'passthrough' | 'mjpeg' | 'still' | 'none';

export interface Player {
  stop(): void;
}

/** Whether this browser can play an fMP4 stream of `mime` with MSE. */
export function canPlayPassthrough(mime: string, ms: { isTypeSupported(m: string): boolean } | undefined = globalThis.MediaSource): boolean {
  return ms !== undefined && typeof ms.isTypeSupported === 'function' && ms.isTypeSupported(mime);
}

export function liveSocketUrl(laneId: string, loc: { protocol: string; host: string } = location): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/api/lanes/${encodeURIComponent(laneId)}/live.mp4`;
}

/** Subprotocols of the core's streams: ours, and the session token when there is one. */
export function streamProtocols(token: string | null): string[] {
  return ['sitegate.v1', ...(token ? [`sitegate.auth.${token}`] : [])];
}

/** Seconds behind the newest buffered frame beyond which playback jumps to the live edge. */
const MAX_LAG_S = 1.5;
/** Buffered media kept behind the playhead. */
const KEEP_BEHIND_S = 10;

/**
 * The pass-through player. Calls `onPlaying(codec)` once frames play, `fallback(reason,
 * permanent)` when the codec cannot be played here or the lane has no pass-through (permanent),
 * or the stream failed (worth another try later: the camera or the core may come back).
 */
export function playPassthrough(
  video: HTMLVideoElement,
  laneId: string,
  token: string | null,
  cb: { onPlaying(codec: string): void; fallback(reason: string, permanent: boolean): void },
): Player {
  let stopped = false;
  let ws: WebSocket | null = null;
  let source: MediaSource | null = null;
  let buffer: SourceBuffer | null = null;
  let queue: ArrayBuffer[] = [];
  let codec = '';
  let playing = false;
  let objectUrl: string | null = null;
  const noInit = setTimeout(() => fail('no stream from the camera within 10 s'), 10_000);

  function fail(reason: string, permanent = false): void {
    if (stopped) return;
    stop();
    cb.fallback(reason, permanent);
  }

  function pump(): void {
    if (!buffer || buffer.updating || queue.length === 0) return;
    const next = queue.shift() as ArrayBuffer;
    try {
      buffer.appendBuffer(next);
    } catch (e) {
      // QuotaExceeded: drop what is behind and go on with the next fragment.
      if ((e as DOMException).name === 'QuotaExceededError' && video.currentTime > 2) buffer.remove(0, video.currentTime - 1);
      else fail(`append failed: ${(e as Error).message}`);
    }
  }

  function afterAppend(): void {
    if (!buffer) return;
    const b = video.buffered;
    if (b.length > 0) {
      const start = b.start(0);
      const end = b.end(b.length - 1);
      // Joined mid-stream (timestamps do not start at 0) or fallen behind: go to the live edge.
      if (video.currentTime < start || end - video.currentTime > MAX_LAG_S) video.currentTime = Math.max(start, end - 0.2);
      if (!buffer.updating && video.currentTime - start > KEEP_BEHIND_S + 5) {
        buffer.remove(start, video.currentTime - KEEP_BEHIND_S);
        return;
      }
      if (!playing) {
        playing = true;
        clearTimeout(noInit);
        void video.play().catch(() => undefined);
        cb.onPlaying(codec);
      }
    }
    pump();
  }

  function startStream(mime: string): void {
    // A new stream (the camera reconnected) gets a fresh MediaSource: its timestamps restart.
    const previousUrl = objectUrl;
    queue = [];
    buffer = null;
    playing = false;
    const ms = new MediaSource();
    source = ms;
    objectUrl = URL.createObjectURL(ms);
    video.src = objectUrl;
    if (previousUrl) URL.revokeObjectURL(previousUrl);
    ms.addEventListener('sourceopen', () => {
      if (stopped || source !== ms) return;
      try {
        const sb = ms.addSourceBuffer(mime);
        sb.mode = 'segments';
        sb.addEventListener('updateend', afterAppend);
        sb.addEventListener('error', () => fail('the video could not be decoded'));
        buffer = sb;
        pump();
      } catch (e) {
        fail(`cannot play ${mime}: ${(e as Error).message}`, true);
      }
    });
  }

  try {
    ws = new WebSocket(liveSocketUrl(laneId), streamProtocols(token));
  } catch (e) {
    queueMicrotask(() => fail(`cannot open the stream: ${(e as Error).message}`));
    return { stop };
  }
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (m) => {
    if (typeof m.data === 'string') {
      let msg: { type?: string; codec?: string; mime?: string };
      try {
        msg = JSON.parse(m.data) as typeof msg;
      } catch {
        return;
      }
      if (msg.type !== 'init' || !msg.mime) return;
      if (!canPlayPassthrough(msg.mime)) return fail(`this browser cannot decode ${msg.codec ?? msg.mime}`, true);
      codec = msg.codec ?? '';
      startStream(msg.mime);
      return;
    }
    if (!source) return;
    queue.push(m.data as ArrayBuffer);
    // A viewer that cannot decode fast enough must not grow a queue without end.
    if (queue.length > 120) queue = queue.slice(-60);
    pump();
  };
  ws.onclose = (e) => fail(e.code === 4404 ? 'this lane has no pass-through' : `stream closed (${e.code})`, e.code === 4404 || e.code === 4403);
  ws.onerror = () => undefined;
  video.addEventListener('error', () => fail('the video element reported an error'), { once: true });

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(noInit);
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close();
    ws = null;
    buffer = null;
    source = null;
    video.removeAttribute('src');
    video.load();
    if (objectUrl) URL.revokeObjectURL(objectUrl);
  }
  return { stop };
}

/**
 * Finds the JPEGs of a multipart/x-mixed-replace stream by their Content-Length headers (as the
 * core writes them). Pure: feed chunks, get whole JPEGs.
 */
export class MultipartJpegReader {
  #buf = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf, 0);
    merged.set(chunk, this.#buf.length);
    const out: Uint8Array[] = [];
    let p = 0;
    for (;;) {
      const headEnd = indexOf(merged, CRLFCRLF, p);
      if (headEnd < 0) break;
      const head = new TextDecoder('latin1').decode(merged.subarray(p, headEnd));
      const m = /content-length:\s*(\d+)/i.exec(head);
      if (!m) {
        p = headEnd + 4;
        continue;
      }
      const len = Number(m[1]);
      const start = headEnd + 4;
      if (merged.length < start + len) break;
      out.push(merged.slice(start, start + len));
      p = start + len;
    }
    this.#buf = merged.slice(p);
    if (this.#buf.length > 8 * 1024 * 1024) this.#buf = new Uint8Array(0);
    return out;
  }
}

const CRLFCRLF = Uint8Array.of(13, 10, 13, 10);

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function authHeaders(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** MJPEG through fetch: each JPEG replaces the last on `img`. */
export function playMjpeg(img: HTMLImageElement, laneId: string, token: string | null, cb: { onFrame(): void; fallback(reason: string): void }): Player {
  const abort = new AbortController();
  let url: string | null = null;
  let stopped = false;
  void (async () => {
    try {
      const r = await fetch(`/api/lanes/${encodeURIComponent(laneId)}/live.mjpeg`, { headers: authHeaders(token), signal: abort.signal });
      if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
      const reader = r.body.getReader();
      const parts = new MultipartJpegReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended');
        for (const jpeg of parts.push(value)) {
          const next = URL.createObjectURL(new Blob([jpeg as BlobPart], { type: 'image/jpeg' }));
          img.src = next;
          if (url) URL.revokeObjectURL(url);
          url = next;
          cb.onFrame();
        }
      }
    } catch (e) {
      if (!stopped) cb.fallback((e as Error).message);
    }
  })();
  return {
    stop() {
      stopped = true;
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    },
  };
}

/** A still frame every `everyMs`. */
export function playStill(img: HTMLImageElement, laneId: string, token: string | null, cb: { onFrame(): void }, everyMs = 2000): Player {
  let url: string | null = null;
  const load = async (): Promise<void> => {
    try {
      const r = await fetch(`/api/lanes/${encodeURIComponent(laneId)}/still.jpg`, { headers: authHeaders(token), cache: 'no-store' });
      if (!r.ok) return;
      const next = URL.createObjectURL(await r.blob());
      img.src = next;
      if (url) URL.revokeObjectURL(url);
      url = next;
      cb.onFrame();
    } catch {
      // the next tick tries again
    }
  };
  void load();
  const t = setInterval(() => void load(), everyMs);
  return {
    stop() {
      clearInterval(t);
      if (url) URL.revokeObjectURL(url);
    },
  };
}
