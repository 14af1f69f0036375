// LFW pairs-file format (pairs.txt / pairsDevTest.txt):
//   header:  "N"            -> N same-person lines then N different-person lines
//            "S N"          -> S sets (folds), each N same-person then N different-person lines
//   same:    name  n1  n2            (images DIR/name/name_000n1.jpg and ..._000n2.jpg)
//   diff:    name1 n1 name2 n2
// Fields are separated by tabs or spaces. Parsing is pure; image checks take an `exists` function.
import { join } from 'node:path';

export interface FaceImageRef {
  name: string;
  index: number;
}

export interface FacePair {
  a: FaceImageRef;
  b: FaceImageRef;
  same: boolean;
  /** 0-based set (fold) number from the header. */
  fold: number;
  /** 1-based line number in the file. */
  line: number;
}

export class PairsFileError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `pairs file line ${line}: ${message}`);
    this.name = 'PairsFileError';
  }
}

function positiveInt(s: string, what: string, line: number): number {
  if (!/^\d+$/.test(s)) throw new PairsFileError(`${what} must be a positive integer, got "${s}"`, line);
  const n = Number(s);
  if (n < 1) throw new PairsFileError(`${what} must be >= 1, got ${n}`, line);
  return n;
}

export function parsePairsFile(text: string): FacePair[] {
  const lines = text.split(/\r?\n/);
  // Trailing blank lines are allowed; blank lines inside are not.
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  if (lines.length === 0) throw new PairsFileError('empty file (expected a header line with counts)');
  const header = (lines[0] as string).trim().split(/\s+/);
  let sets: number, perSet: number;
  if (header.length === 1) {
    sets = 1;
    perSet = positiveInt(header[0] as string, 'pair count', 1);
  } else if (header.length === 2) {
    sets = positiveInt(header[0] as string, 'set count', 1);
    perSet = positiveInt(header[1] as string, 'pairs per set', 1);
  } else {
    throw new PairsFileError(`header must be "N" or "SETS N", got "${lines[0] as string}"`, 1);
  }
  const expected = sets * perSet * 2;
  const body = lines.length - 1;
  if (body !== expected) {
    throw new PairsFileError(`header announces ${expected} pair lines (${sets} x (${perSet} same + ${perSet} different)), file has ${body}`);
  }
  const pairs: FacePair[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] as string).trim();
    const k = i - 1;
    const fold = Math.floor(k / (2 * perSet));
    const same = k % (2 * perSet) < perSet;
    const f = raw === '' ? [] : raw.split(/\s+/);
    if (same) {
      if (f.length !== 3) throw new PairsFileError(`same-person line needs "name n1 n2" (3 fields), got ${f.length}: "${raw}"`, lineNo);
      const name = f[0] as string;
      pairs.push({
        a: { name, index: positiveInt(f[1] as string, 'image number', lineNo) },
        b: { name, index: positiveInt(f[2] as string, 'image number', lineNo) },
        same, fold, line: lineNo,
      });
    } else {
      if (f.length !== 4) throw new PairsFileError(`different-person line needs "name1 n1 name2 n2" (4 fields), got ${f.length}: "${raw}"`, lineNo);
      const a = { name: f[0] as string, index: positiveInt(f[1] as string, 'image number', lineNo) };
      const b = { name: f[2] as string, index: positiveInt(f[3] as string, 'image number', lineNo) };
      if (a.name === b.name) throw new PairsFileError(`different-person line names the same person twice: "${raw}"`, lineNo);
      pairs.push({ a, b, same, fold, line: lineNo });
    }
  }
  return pairs;
}

/** LFW layout: DIR/name/name_0001.jpg */
export function imagePath(dir: string, ref: FaceImageRef): string {
  return join(dir, ref.name, `${ref.name}_${String(ref.index).padStart(4, '0')}.jpg`);
}

/** Distinct images of the pairs, in first-use order, keyed by their path. */
export function distinctImages(dir: string, pairs: readonly FacePair[]): string[] {
  const seen = new Set<string>();
  for (const p of pairs) {
    seen.add(imagePath(dir, p.a));
    seen.add(imagePath(dir, p.b));
  }
  return [...seen];
}

/** Throws a PairsFileError listing (up to 10) images the pairs need that do not exist. */
export function checkImagesExist(dir: string, pairs: readonly FacePair[], exists: (path: string) => boolean): void {
  const missing = distinctImages(dir, pairs).filter((p) => !exists(p));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join('\n  ');
    throw new PairsFileError(`${missing.length} image(s) named by the pairs file are missing under ${dir}:\n  ${shown}${missing.length > 10 ? '\n  ...' : ''}`);
  }
}

/** Formats pairs as an LFW pairs file (single set); used to build test directories. */
export function formatPairsFile(same: readonly [FaceImageRef, FaceImageRef][], different: readonly [FaceImageRef, FaceImageRef][]): string {
  if (same.length !== different.length) throw new RangeError('LFW pairs files have as many same as different pairs per set');
  const lines = [String(same.length)];
  for (const [a, b] of same) {
    if (a.name !== b.name) throw new RangeError(`same-person pair with two names: ${a.name} / ${b.name}`);
    lines.push(`${a.name}\t${a.index}\t${b.index}`);
  }
  for (const [a, b] of different) lines.push(`${a.name}\t${a.index}\t${b.name}\t${b.index}`);
  return lines.join('\n') + '\n';
}
