// 2-D geometry for alignment and sampling: least-squares similarity transforms (Umeyama),
// affine warps with bilinear sampling straight into model input tensors, and homographies
// for the planar-motion liveness test.
import type { RgbImage } from './image.js';
import type { InputSpec } from './manifest.js';

export type Point = readonly [number, number];

/** Affine map x' = a*x + b*y + c, y' = d*x + e*y + f. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** Least-squares similarity (rotation, uniform scale, translation) taking src points onto dst points. */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = Math.min(src.length, dst.length);
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += (src[i] as Point)[0]; sy += (src[i] as Point)[1];
    dx += (dst[i] as Point)[0]; dy += (dst[i] as Point)[1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  // Solve for [p, q] with dst ~ [[p, -q], [q, p]] * src (centred).
  let num1 = 0, num2 = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const ux = (src[i] as Point)[0] - sx, uy = (src[i] as Point)[1] - sy;
    const vx = (dst[i] as Point)[0] - dx, vy = (dst[i] as Point)[1] - dy;
    num1 += ux * vx + uy * vy;
    num2 += ux * vy - uy * vx;
    den += ux * ux + uy * uy;
  }
  const p = den > 0 ? num1 / den : 1;
  const q = den > 0 ? num2 / den : 0;
  return { a: p, b: -q, c: dx - p * sx + q * sy, d: q, e: p, f: dy - q * sx - p * sy };
}

export function invertAffine(m: Affine): Affine {
  const det = m.a * m.e - m.b * m.d;
  const ia = m.e / det, ib = -m.b / det, id = -m.d / det, ie = m.a / det;
  return { a: ia, b: ib, c: -(ia * m.c + ib * m.f), d: id, e: ie, f: -(id * m.c + ie * m.f) };
}

export function applyAffine(m: Affine, p: Point): [number, number] {
  return [m.a * p[0] + m.b * p[1] + m.c, m.d * p[0] + m.e * p[1] + m.f];
}

/**
 * Fills a model input tensor by sampling the image through `dstToSrc` (output pixel -> image
 * pixel), bilinear, border pixels replicated, normalised per the input spec.
 */
export function warpToTensor(img: RgbImage, dstToSrc: Affine, spec: InputSpec, out?: Float32Array): Float32Array {
  const W = spec.width, H = spec.height, C = spec.channels;
  const t = out ?? new Float32Array(W * H * C);
  const plane = W * H;
  const src = img.data, iw = img.width, ih = img.height;
  // Source channel of each output channel; per-pixel arrays are avoided (this runs ~130k
  // times per frame). The arithmetic is the same expression per channel as before.
  const bgr = spec.colour === 'bgr';
  const o0 = bgr ? 2 : 0, o2 = bgr ? 0 : 2;
  const nchw = spec.layout === 'NCHW';
  const { a, b, c, d, e, f } = dstToSrc;
  const mean = spec.mean, scale = spec.scale;
  const grey = C === 1;
  // Output channel k goes to index p * s0 + k * s1 (NCHW: p + k * plane; NHWC: p * 3 + k).
  const s0 = nchw ? 1 : 3, s1 = nchw ? plane : 1;
  if (b === 0 && d === 0) {
    // Axis-aligned (boxes: detector, landmarks, crops): sample positions per column and per
    // row are computed once; the per-pixel expressions are unchanged.
    const cx0 = new Int32Array(W), cx1 = new Int32Array(W), cax = new Float64Array(W);
    for (let x = 0; x < W; x++) {
      const fx = a * (x + 0.5) + b * 0.5 + c - 0.5;
      let x0 = Math.floor(fx);
      cax[x] = fx - x0;
      let x1 = x0 + 1;
      x0 = x0 < 0 ? 0 : x0 >= iw ? iw - 1 : x0;
      x1 = x1 < 0 ? 0 : x1 >= iw ? iw - 1 : x1;
      cx0[x] = x0 * 3;
      cx1[x] = x1 * 3;
    }
    for (let y = 0; y < H; y++) {
      const fy = d * 0.5 + e * (y + 0.5) + f - 0.5;
      let y0 = Math.floor(fy);
      const ay = fy - y0;
      let y1 = y0 + 1;
      y0 = y0 < 0 ? 0 : y0 >= ih ? ih - 1 : y0;
      y1 = y1 < 0 ? 0 : y1 >= ih ? ih - 1 : y1;
      const r0 = y0 * iw * 3, r1 = y1 * iw * 3;
      for (let x = 0; x < W; x++) {
        const ax = cax[x] as number;
        const i00 = r0 + (cx0[x] as number), i01 = r0 + (cx1[x] as number), i10 = r1 + (cx0[x] as number), i11 = r1 + (cx1[x] as number);
        const w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
        const p = y * W + x;
        if (grey) {
          const r = (src[i00] as number) * w00 + (src[i01] as number) * w01 + (src[i10] as number) * w10 + (src[i11] as number) * w11;
          const g = (src[i00 + 1] as number) * w00 + (src[i01 + 1] as number) * w01 + (src[i10 + 1] as number) * w10 + (src[i11 + 1] as number) * w11;
          const bl = (src[i00 + 2] as number) * w00 + (src[i01 + 2] as number) * w01 + (src[i10 + 2] as number) * w10 + (src[i11 + 2] as number) * w11;
          t[p] = (0.299 * r + 0.587 * g + 0.114 * bl - mean) * scale;
        } else {
          const v0 = (src[i00 + o0] as number) * w00 + (src[i01 + o0] as number) * w01 + (src[i10 + o0] as number) * w10 + (src[i11 + o0] as number) * w11;
          const v1 = (src[i00 + 1] as number) * w00 + (src[i01 + 1] as number) * w01 + (src[i10 + 1] as number) * w10 + (src[i11 + 1] as number) * w11;
          const v2 = (src[i00 + o2] as number) * w00 + (src[i01 + o2] as number) * w01 + (src[i10 + o2] as number) * w10 + (src[i11 + o2] as number) * w11;
          const q = p * s0;
          t[q] = (v0 - mean) * scale;
          t[q + s1] = (v1 - mean) * scale;
          t[q + 2 * s1] = (v2 - mean) * scale;
        }
      }
    }
    return t;
  }
  // General affine (rotated alignment). The per-pixel blend is written out again rather than
  // shared through a helper: a shared closure measured 15-30x slower here (V8 deoptimises it).
  for (let y = 0; y < H; y++) {
    const yc = y + 0.5;
    for (let x = 0; x < W; x++) {
      const fx = a * (x + 0.5) + b * yc + c - 0.5;
      const fy = d * (x + 0.5) + e * yc + f - 0.5;
      let x0 = Math.floor(fx), y0 = Math.floor(fy);
      const ax = fx - x0, ay = fy - y0;
      let x1 = x0 + 1, y1 = y0 + 1;
      x0 = x0 < 0 ? 0 : x0 >= iw ? iw - 1 : x0;
      x1 = x1 < 0 ? 0 : x1 >= iw ? iw - 1 : x1;
      y0 = y0 < 0 ? 0 : y0 >= ih ? ih - 1 : y0;
      y1 = y1 < 0 ? 0 : y1 >= ih ? ih - 1 : y1;
      const i00 = (y0 * iw + x0) * 3, i01 = (y0 * iw + x1) * 3, i10 = (y1 * iw + x0) * 3, i11 = (y1 * iw + x1) * 3;
      const w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
      const p = y * W + x;
      if (grey) {
        const r = (src[i00] as number) * w00 + (src[i01] as number) * w01 + (src[i10] as number) * w10 + (src[i11] as number) * w11;
        const g = (src[i00 + 1] as number) * w00 + (src[i01 + 1] as number) * w01 + (src[i10 + 1] as number) * w10 + (src[i11 + 1] as number) * w11;
        const bl = (src[i00 + 2] as number) * w00 + (src[i01 + 2] as number) * w01 + (src[i10 + 2] as number) * w10 + (src[i11 + 2] as number) * w11;
        t[p] = (0.299 * r + 0.587 * g + 0.114 * bl - mean) * scale;
      } else {
        const v0 = (src[i00 + o0] as number) * w00 + (src[i01 + o0] as number) * w01 + (src[i10 + o0] as number) * w10 + (src[i11 + o0] as number) * w11;
        const v1 = (src[i00 + 1] as number) * w00 + (src[i01 + 1] as number) * w01 + (src[i10 + 1] as number) * w10 + (src[i11 + 1] as number) * w11;
        const v2 = (src[i00 + o2] as number) * w00 + (src[i01 + o2] as number) * w01 + (src[i10 + o2] as number) * w10 + (src[i11 + o2] as number) * w11;
        const q = p * s0;
        t[q] = (v0 - mean) * scale;
        t[q + s1] = (v1 - mean) * scale;
        t[q + 2 * s1] = (v2 - mean) * scale;
      }
    }
  }
  return t;
}

/** dstToSrc affine that maps a W x H output onto the axis-aligned box (x, y, w, h) of the image. */
export function boxToAffine(box: { x: number; y: number; w: number; h: number }, W: number, H: number): Affine {
  return { a: box.w / W, b: 0, c: box.x, d: 0, e: box.h / H, f: box.y };
}

/** Grey (0..255) raster sampled through an affine, for quality measures on the aligned face. */
export function warpToGrey(img: RgbImage, dstToSrc: Affine, W: number, H: number): Float32Array {
  return warpToTensor(img, dstToSrc, { name: '', layout: 'NCHW', width: W, height: H, channels: 1, colour: 'grey', mean: 0, scale: 1 });
}

/** 3x3 homography as row-major 9 numbers with h[8] = 1. */
export type Homography = number[];

/**
 * Least-squares homography from >= 4 point pairs (normalised DLT with h33 = 1, solved by
 * normal equations). Returns null when degenerate.
 */
export function fitHomography(src: readonly Point[], dst: readonly Point[]): Homography | null {
  const n = Math.min(src.length, dst.length);
  if (n < 4) return null;
  const ns = normaliser(src), nd = normaliser(dst);
  const A: number[][] = [];
  const bv: number[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y] = ns.apply(src[i] as Point);
    const [u, v] = nd.apply(dst[i] as Point);
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]); bv.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]); bv.push(v);
  }
  const AtA = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const Atb = new Array<number>(8).fill(0);
  for (let r = 0; r < A.length; r++) {
    const row = A[r] as number[];
    for (let i = 0; i < 8; i++) {
      Atb[i] = (Atb[i] as number) + (row[i] as number) * (bv[r] as number);
      for (let j = 0; j < 8; j++) (AtA[i] as number[])[j] = ((AtA[i] as number[])[j] as number) + (row[i] as number) * (row[j] as number);
    }
  }
  const h = solve(AtA, Atb);
  if (!h) return null;
  const Hn = [...h, 1];
  // Denormalise: H = Td^-1 * Hn * Ts
  const Ts = ns.matrix, TdInv = nd.inverse;
  const H = mul3(TdInv, mul3(Hn, Ts));
  const s = H[8] as number;
  if (Math.abs(s) < 1e-12) return null;
  return H.map((v) => v / s);
}

export function applyHomography(H: Homography, p: Point): [number, number] {
  const w = (H[6] as number) * p[0] + (H[7] as number) * p[1] + (H[8] as number);
  return [
    ((H[0] as number) * p[0] + (H[1] as number) * p[1] + (H[2] as number)) / w,
    ((H[3] as number) * p[0] + (H[4] as number) * p[1] + (H[5] as number)) / w,
  ];
}

function normaliser(pts: readonly Point[]): { apply: (p: Point) => [number, number]; matrix: number[]; inverse: number[] } {
  let mx = 0, my = 0;
  for (const p of pts) { mx += p[0]; my += p[1]; }
  mx /= pts.length; my /= pts.length;
  let d = 0;
  for (const p of pts) d += Math.hypot(p[0] - mx, p[1] - my);
  d /= pts.length;
  const s = d > 0 ? Math.SQRT2 / d : 1;
  return {
    apply: (p) => [(p[0] - mx) * s, (p[1] - my) * s],
    matrix: [s, 0, -s * mx, 0, s, -s * my, 0, 0, 1],
    inverse: [1 / s, 0, mx, 0, 1 / s, my, 0, 0, 1],
  };
}

function mul3(a: readonly number[], b: readonly number[]): number[] {
  const r = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[i * 3 + k] as number) * (b[k * 3 + j] as number);
      r[i * 3 + j] = s;
    }
  return r;
}

/** Gaussian elimination with partial pivoting; null if singular. */
function solve(M: number[][], b: number[]): number[] | null {
  const n = b.length;
  const A = M.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((A[r] as number[])[c] as number) > Math.abs((A[piv] as number[])[c] as number)) piv = r;
    const pr = A[piv] as number[];
    if (Math.abs(pr[c] as number) < 1e-12) return null;
    [A[c], A[piv]] = [pr, A[c] as number[]];
    const rc = A[c] as number[];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const rr = A[r] as number[];
      const f = (rr[c] as number) / (rc[c] as number);
      if (f === 0) continue;
      for (let k = c; k <= n; k++) rr[k] = (rr[k] as number) - f * (rc[k] as number);
    }
  }
  return A.map((row, i) => (row[n] as number) / (row[i] as number));
}
