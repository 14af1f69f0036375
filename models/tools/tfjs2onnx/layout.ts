// Axis permutations. A converted tensor is held in ONNX as `transpose(tfTensor, perm)`:
// ONNX axis j is TF axis perm[j]. Identity perm = TF (NHWC) layout; [0,3,1,2] = NCHW.
import type { HostTensor } from './tfjs-model.js';

export const NCHW = [0, 3, 1, 2] as const;

export function identity(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

export function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

export function invert(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}

export function permKey(perm: readonly number[]): string {
  return perm.join(',');
}

/** ONNX Transpose perm that turns a tensor held in `from` into one held in `to`. */
export function transposeBetween(from: readonly number[], to: readonly number[]): number[] {
  const inv = invert(from);
  return to.map((t) => inv[t] as number);
}

/** Position (ONNX axis) of TF axis `tfAxis` in a tensor held with `perm`. */
export function onnxAxis(perm: readonly number[], tfAxis: number): number {
  const j = perm.indexOf(tfAxis);
  if (j < 0) throw new Error(`axis ${tfAxis} not in perm ${perm.join(',')}`);
  return j;
}

/** After removing TF axes `removed` from a tensor held with `perm`, the perm of the result. */
export function permAfterRemoving(perm: readonly number[], removed: readonly number[]): number[] {
  const kept = perm.filter((p) => !removed.includes(p));
  const sorted = [...kept].sort((a, b) => a - b);
  return kept.map((p) => sorted.indexOf(p));
}

export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p] as number);
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
}

/** Host-side transpose: result axis j is input axis perm[j]. */
export function transposeHost(t: HostTensor, perm: readonly number[]): HostTensor {
  if (isIdentity(perm)) return t;
  const outShape = permuteShape(t.shape, perm);
  const inStrides = strides(t.shape);
  const size = t.data.length;
  const out = t.data instanceof Float32Array ? new Float32Array(size) : new Int32Array(size);
  const rank = perm.length;
  const idx = new Array<number>(rank).fill(0);
  const srcStride = perm.map((p) => inStrides[p] as number);
  for (let k = 0; k < size; k++) {
    let src = 0;
    for (let j = 0; j < rank; j++) src += (idx[j] as number) * (srcStride[j] as number);
    out[k] = t.data[src] as number;
    for (let j = rank - 1; j >= 0; j--) {
      idx[j] = (idx[j] as number) + 1;
      if ((idx[j] as number) < (outShape[j] as number)) break;
      idx[j] = 0;
    }
  }
  return { dtype: t.dtype, shape: outShape, data: out };
}
