// Fragmented MP4 (ISO BMFF) as ffmpeg's `-c copy -movflags empty_moov+default_base_moof+…` writes
// it, for the live view's pass-through to Media Source Extensions: the stream is cut into its
// init segment (ftyp + moov) and its media fragments (moof + mdat), each fragment flagged when
// it starts with a keyframe (a new viewer starts there), and the codec string the browser
// needs (`avc1.64001f`, `hvc1.1.6.L93.B0`) read from the sample entry. Pure functions.

export interface Box {
  type: string;
  /** Start of the box (its header) in the buffer. */
  start: number;
  /** Start of the payload. */
  body: number;
  end: number;
}

/** Top-level boxes of `buf` from `at`; stops at a box that is not complete yet. */
export function readBoxes(buf: Uint8Array, at = 0, end = buf.length): Box[] {
  const out: Box[] = [];
  let p = at;
  while (p + 8 <= end) {
    let size = u32(buf, p);
    let body = p + 8;
    if (size === 1) {
      if (p + 16 > end) break;
      size = u32(buf, p + 8) * 2 ** 32 + u32(buf, p + 12);
      body = p + 16;
    } else if (size === 0) {
      size = end - p;
    }
    if (size < body - p) throw new RangeError(`bad box size ${size} at ${p}`);
    if (p + size > end) break;
    out.push({ type: String.fromCharCode(buf[p + 4] as number, buf[p + 5] as number, buf[p + 6] as number, buf[p + 7] as number), start: p, body, end: p + size });
    p += size;
  }
  return out;
}

function u32(b: Uint8Array, p: number): number {
  return (((b[p] as number) << 24) >>> 0) + ((b[p + 1] as number) << 16) + ((b[p + 2] as number) << 8) + (b[p + 3] as number);
}

function child(buf: Uint8Array, parent: Box, type: string, skip = 0): Box | undefined {
  return readBoxes(buf, parent.body + skip, parent.end).find((b) => b.type === type);
}

function path(buf: Uint8Array, root: Box, types: string[]): Box | undefined {
  let cur: Box | undefined = root;
  for (const t of types) {
    if (!cur) return undefined;
    cur = child(buf, cur, t);
  }
  return cur;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** The RFC 6381 codec string of the first video track of an init segment, or null. */
export function codecOfInit(init: Uint8Array): string | null {
  const moov = readBoxes(init).find((b) => b.type === 'moov');
  if (!moov) return null;
  for (const trak of readBoxes(init, moov.body, moov.end).filter((b) => b.type === 'trak')) {
    const stsd = path(init, trak, ['mdia', 'minf', 'stbl', 'stsd']);
    if (!stsd) continue;
    // stsd: version/flags (4), entry count (4), then sample entries.
    const entry = readBoxes(init, stsd.body + 8, stsd.end)[0];
    if (!entry) continue;
    // A visual sample entry has 78 bytes of fields before its child boxes.
    const kids = readBoxes(init, entry.body + 78, entry.end);
    const avcC = kids.find((b) => b.type === 'avcC');
    if (avcC && (entry.type === 'avc1' || entry.type === 'avc3')) {
      return `${entry.type}.${hex2(init[avcC.body + 1] as number)}${hex2(init[avcC.body + 2] as number)}${hex2(init[avcC.body + 3] as number)}`;
    }
    const hvcC = kids.find((b) => b.type === 'hvcC');
    if (hvcC && (entry.type === 'hvc1' || entry.type === 'hev1')) return `${entry.type}.${hevcCodec(init, hvcC.body)}`;
  }
  return null;
}

/** `profile.compat.tierLevel.constraints` of an hvcC (ISO/IEC 14496-15 annex E). */
function hevcCodec(b: Uint8Array, p: number): string {
  const first = b[p + 1] as number;
  const space = ['', 'A', 'B', 'C'][first >> 6] ?? '';
  const tier = first & 0x20 ? 'H' : 'L';
  const profile = first & 0x1f;
  let compat = u32(b, p + 2);
  let reversed = 0;
  for (let i = 0; i < 32; i++) {
    reversed = (reversed << 1) | (compat & 1);
    compat >>>= 1;
  }
  const constraints = Array.from(b.subarray(p + 6, p + 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = b[p + 12] as number;
  const parts = [`${space}${profile}`, (reversed >>> 0).toString(16).toUpperCase(), `${tier}${level}`, ...constraints.map((c) => c.toString(16).toUpperCase())];
  return parts.join('.');
}

/** Whether a fragment's first sample is a sync sample (keyframe); `trexFlags` are the init's default sample flags. */
export function fragmentStartsWithKeyframe(frag: Uint8Array, trexFlags = 0): boolean {
  const moof = readBoxes(frag).find((b) => b.type === 'moof');
  if (!moof) return false;
  const traf = child(frag, moof, 'traf');
  if (!traf) return false;
  const tfhd = child(frag, traf, 'tfhd');
  const trun = child(frag, traf, 'trun');
  if (!trun) return false;
  let flags = trexFlags;
  if (tfhd) {
    const tf = u32(frag, tfhd.body) & 0xffffff;
    let q = tfhd.body + 8; // version/flags, track id
    if (tf & 0x01) q += 8;
    if (tf & 0x02) q += 4;
    if (tf & 0x08) q += 4;
    if (tf & 0x10) q += 4;
    if (tf & 0x20) flags = u32(frag, q);
  }
  const rf = u32(frag, trun.body) & 0xffffff;
  let q = trun.body + 8; // version/flags, sample count
  if (rf & 0x01) q += 4;
  if (rf & 0x04) flags = u32(frag, q);
  else if (rf & 0x400) {
    // the first sample's own flags: after its duration and size when present
    let s = q;
    if (rf & 0x100) s += 4;
    if (rf & 0x200) s += 4;
    flags = u32(frag, s);
  }
  return (flags & 0x00010000) === 0;
}

/** The default sample flags of the init segment's first trex (mvex), or 0. */
export function trexDefaultFlags(init: Uint8Array): number {
  const moov = readBoxes(init).find((b) => b.type === 'moov');
  const trex = moov && path(init, moov, ['mvex', 'trex']);
  return trex ? u32(init, trex.body + 20) : 0;
}

export type Fmp4Part = { kind: 'init'; bytes: Uint8Array; codec: string | null } | { kind: 'fragment'; bytes: Uint8Array; keyframe: boolean };

/**
 * Cuts a streamed fMP4 into its init segment and fragments as the bytes arrive. Boxes before
 * the first moof (ftyp, moov) form the init; each moof with the boxes up to the next moof
 * (its mdat) forms a fragment. Keeps at most `maxBuffer` bytes of an unfinished box.
 */
export class Fmp4Splitter {
  #buf = new Uint8Array(0);
  #init: Uint8Array[] = [];
  #initDone = false;
  #frag: Uint8Array[] = [];
  #trexFlags = 0;

  constructor(private readonly maxBuffer = 16 * 1024 * 1024) {}

  push(chunk: Uint8Array): Fmp4Part[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf, 0);
    merged.set(chunk, this.#buf.length);
    const boxes = readBoxes(merged);
    const out: Fmp4Part[] = [];
    for (const box of boxes) {
      const bytes = merged.slice(box.start, box.end);
      if (!this.#initDone) {
        if (box.type !== 'moof') {
          this.#init.push(bytes);
          continue;
        }
        const init = concat(this.#init);
        this.#initDone = true;
        this.#trexFlags = trexDefaultFlags(init);
        out.push({ kind: 'init', bytes: init, codec: codecOfInit(init) });
      }
      if (box.type === 'moof') this.#flush(out);
      this.#frag.push(bytes);
      // A fragment is complete with its mdat.
      if (box.type === 'mdat') this.#flush(out);
    }
    const used = boxes.length ? (boxes[boxes.length - 1] as Box).end : 0;
    this.#buf = merged.slice(used);
    if (this.#buf.length > this.maxBuffer) throw new RangeError(`an MP4 box larger than ${this.maxBuffer} bytes`);
    return out;
  }

  #flush(out: Fmp4Part[]): void {
    if (this.#frag.length === 0) return;
    const bytes = concat(this.#frag);
    this.#frag = [];
    out.push({ kind: 'fragment', bytes, keyframe: fragmentStartsWithKeyframe(bytes, this.#trexFlags) });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
