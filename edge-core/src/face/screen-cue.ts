// A cheap screen/print cue: the share of the finest-scale energy (Laplacian) against the
// gradient energy in the face crop sampled at 1:1 pixel scale. Moire from re-photographing a
// screen and halftone dots of prints add fine periodic energy. It is computed and reported on
// every frame; it is NOT enforced by default because no genuine replay footage exists offline
// to calibrate it (see models/README.md).
import { warpToGrey } from './geometry.js';
import type { RgbImage } from './image.js';

export function screenCue(img: RgbImage, box: { x: number; y: number; w: number; h: number }): number {
  // Central 64x64 patch of the face at native resolution (no resampling blur when the face is big).
  const size = Math.max(16, Math.min(64, Math.floor(Math.min(box.w, box.h) * 0.6)));
  const cx = box.x + box.w / 2, cy = box.y + box.h / 2;
  const N = size;
  const g = warpToGrey(img, { a: 1, b: 0, c: cx - N / 2, d: 0, e: 1, f: cy - N / 2 }, N, N);
  let lap = 0, grad = 0;
  for (let y = 1; y < N - 1; y++) {
    for (let x = 1; x < N - 1; x++) {
      const i = y * N + x;
      const c = g[i] as number;
      const l = 4 * c - (g[i - 1] as number) - (g[i + 1] as number) - (g[i - N] as number) - (g[i + N] as number);
      const gx = (g[i + 1] as number) - (g[i - 1] as number), gy = (g[i + N] as number) - (g[i - N] as number);
      lap += l * l;
      grad += gx * gx + gy * gy;
    }
  }
  return grad > 0 ? lap / grad : 0;
}
