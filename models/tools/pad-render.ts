// Renders presentation-attack stand-ins from photos (issue 12, build-time evaluation only): a
// printed sheet or a phone/monitor screen showing the photo, held in front of the camera and
// moved (perspective motion), with the artefacts of each medium: print (washed-out contrast,
// paper grain, slight blur), screen (moire from the pixel grid beating with the camera's, gamma,
// cool tint, glare). Pure functions over raw RGB buffers; no model is involved.

export interface Raster {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel. */
  data: Uint8Array;
}

export type Quad = [[number, number], [number, number], [number, number], [number, number]];

/** Homography mapping the unit square's corners (0,0),(1,0),(1,1),(0,1) onto a quad. */
function squareToQuad(q: Quad): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den, h = (dx1 * sy - sx * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * Draws `src` into `dst` (in place) inside `quad` (corners clockwise from the top left), with a
 * `border` of bezel/paper margin colour around the picture (fraction of the side).
 */
export function drawInQuad(dst: Raster, src: Raster, quad: Quad, border: { frac: number; rgb: [number, number, number] }): void {
  const Hinv = invert3(squareToQuad(quad));
  const xs = quad.map((p) => p[0]), ys = quad.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(dst.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(dst.height - 1, Math.ceil(Math.max(...ys)));
  const b = border.frac;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const w = (Hinv[6] as number) * x + (Hinv[7] as number) * y + (Hinv[8] as number);
      const u = ((Hinv[0] as number) * x + (Hinv[1] as number) * y + (Hinv[2] as number)) / w;
      const v = ((Hinv[3] as number) * x + (Hinv[4] as number) * y + (Hinv[5] as number)) / w;
      if (u < 0 || u > 1 || v < 0 || v > 1) continue;
      const o = (y * dst.width + x) * 3;
      const pu = (u - b) / (1 - 2 * b), pv = (v - b) / (1 - 2 * b);
      if (pu < 0 || pu > 1 || pv < 0 || pv > 1) {
        dst.data[o] = border.rgb[0]; dst.data[o + 1] = border.rgb[1]; dst.data[o + 2] = border.rgb[2];
        continue;
      }
      const fx = pu * (src.width - 1), fy = pv * (src.height - 1);
      const ix = Math.min(src.width - 2, Math.floor(fx)), iy = Math.min(src.height - 2, Math.floor(fy));
      const ax = fx - ix, ay = fy - iy;
      for (let c = 0; c < 3; c++) {
        const p = (iy * src.width + ix) * 3 + c;
        const v00 = src.data[p] as number, v01 = src.data[p + 3] as number;
        const v10 = src.data[p + src.width * 3] as number, v11 = src.data[p + src.width * 3 + 3] as number;
        dst.data[o + c] = Math.round((v00 * (1 - ax) + v01 * ax) * (1 - ay) + (v10 * (1 - ax) + v11 * ax) * ay);
      }
    }
  }
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A printed copy: contrast reduced towards paper white, gamma, grain, a little desaturation. */
export function printLook(src: Raster, seed: number): Raster {
  const r = lcg(seed);
  const out = new Uint8Array(src.data.length);
  for (let i = 0; i < src.data.length; i += 3) {
    const grain = (r() - 0.5) * 18;
    const R = src.data[i] as number, G = src.data[i + 1] as number, B = src.data[i + 2] as number;
    const l = 0.299 * R + 0.587 * G + 0.114 * B;
    for (let c = 0; c < 3; c++) {
      const v = (src.data[i + c] as number) * 0.85 + l * 0.15;
      const washed = 24 + 0.82 * 255 * Math.pow(v / 255, 1.1);
      out[i + c] = Math.max(0, Math.min(255, Math.round(washed + grain)));
    }
  }
  return { width: src.width, height: src.height, data: out };
}

/** A screen showing the photo: gamma, cool tint, a glare spot. Moire is added in camera space. */
export function screenLook(src: Raster, glare: { x: number; y: number; strength: number }): Raster {
  const out = new Uint8Array(src.data.length);
  const tint = [0.94, 1.0, 1.08];
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const i = (y * src.width + x) * 3;
      const d = Math.hypot(x / src.width - glare.x, y / src.height - glare.y);
      const g = glare.strength * Math.exp(-(d * d) / 0.02);
      for (let c = 0; c < 3; c++) {
        const v = 255 * Math.pow((src.data[i + c] as number) / 255, 0.85) * (tint[c] as number);
        out[i + c] = Math.max(0, Math.min(255, Math.round(v + g * (255 - v))));
      }
    }
  }
  return { width: src.width, height: src.height, data: out };
}

/** Moire of a screen's pixel grid seen by a camera: a fine sinusoidal beat over the quad's area. */
export function addMoire(dst: Raster, quad: Quad, period: number, angle: number, depth: number): void {
  const xs = quad.map((p) => p[0]), ys = quad.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(dst.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(dst.height - 1, Math.ceil(Math.max(...ys)));
  const c = Math.cos(angle), s = Math.sin(angle);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const m = 1 + depth * Math.sin((2 * Math.PI * (x * c + y * s)) / period) * Math.sin((2 * Math.PI * (x * s - y * c)) / (period * 7.3));
      const o = (y * dst.width + x) * 3;
      for (let k = 0; k < 3; k++) dst.data[o + k] = Math.max(0, Math.min(255, Math.round((dst.data[o + k] as number) * m)));
    }
  }
}

/**
 * Corners of a sheet/screen held in front of the camera at frame `i` of `n`: centred, `size`
 * pixels tall with the photo's aspect, moving sideways and towards the camera and tilting about
 * the vertical and horizontal axes (keystone), all smoothly.
 */
export function heldQuad(i: number, n: number, frameW: number, frameH: number, aspect: number, size: number, seed: number): Quad {
  const r = lcg(seed);
  const phase = r() * Math.PI * 2, amp = 0.6 + 0.6 * r();
  const t = i / Math.max(1, n - 1);
  const s = size * (1 + 0.12 * amp * Math.sin(phase + t * Math.PI));
  const h = s, w = s * aspect;
  const cx = frameW / 2 + 40 * amp * Math.sin(phase + t * 2 * Math.PI), cy = frameH / 2 + 15 * amp * Math.cos(phase + t * Math.PI);
  const yawTilt = 0.16 * amp * Math.sin(phase * 1.3 + t * 2 * Math.PI); // one side nearer: taller
  const pitchTilt = 0.08 * amp * Math.cos(phase * 0.7 + t * 2 * Math.PI);
  const roll = 0.06 * amp * Math.sin(phase + t * 3);
  const corner = (dx: number, dy: number): [number, number] => {
    const kx = 1 + yawTilt * Math.sign(dx) * 0.5, ky = 1 + pitchTilt * Math.sign(dy) * 0.5;
    const x = dx * (w / 2) * ky, y = dy * (h / 2) * kx;
    return [cx + x * Math.cos(roll) - y * Math.sin(roll), cy + x * Math.sin(roll) + y * Math.cos(roll)];
  };
  return [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
}

/** A grey-green room background for a 640x480 frame, with some texture. */
export function background(W: number, H: number, seed: number): Raster {
  const r = lcg(seed);
  const data = new Uint8Array(W * H * 3);
  const base = [86 + r() * 40, 92 + r() * 30, 90 + r() * 30];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const shade = 0.8 + 0.4 * (y / H);
      for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round((base[c] as number) * shade + (r() - 0.5) * 6)));
    }
  }
  return { width: W, height: H, data };
}
