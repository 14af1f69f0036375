// Static shape arithmetic and host-side (conversion-time) evaluation of the small integer/float
// subgraphs that TFJS graphs use for shapes (Shape → StridedSlice → Pack → Reshape).
import type { HostTensor } from './tfjs-model.js';
import { strides } from './layout.js';

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function broadcastShape(a: readonly number[], b: readonly number[], what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new Error(`${what}: shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Prepends size-1 axes so the tensor has `rank` axes (numpy broadcasting), data unchanged. */
export function expandRank(t: HostTensor, rank: number): HostTensor {
  if (t.shape.length >= rank) return t;
  return { ...t, shape: [...new Array<number>(rank - t.shape.length).fill(1), ...t.shape] };
}

/** Materialises broadcasting of `t` to `shape` on the host. */
export function broadcastTo(t: HostTensor, shape: readonly number[]): HostTensor {
  const src = expandRank(t, shape.length);
  if (src.shape.every((d, i) => d === shape[i])) return src;
  const size = sizeOf(shape);
  const out = t.data instanceof Float32Array ? new Float32Array(size) : new Int32Array(size);
  const st = strides(src.shape).map((s, i) => (src.shape[i] === 1 ? 0 : s));
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let off = 0;
    for (let j = 0; j < shape.length; j++) off += (idx[j] as number) * (st[j] as number);
    out[k] = src.data[off] as number;
    for (let j = shape.length - 1; j >= 0; j--) {
      idx[j] = (idx[j] as number) + 1;
      if ((idx[j] as number) < (shape[j] as number)) break;
      idx[j] = 0;
    }
  }
  return { dtype: t.dtype, shape: [...shape], data: out };
}

export function hostBinary(op: string, a: HostTensor, b: HostTensor): HostTensor | undefined {
  const fns: Record<string, (x: number, y: number) => number> = {
    Add: (x, y) => x + y,
    AddV2: (x, y) => x + y,
    BiasAdd: (x, y) => x + y,
    Sub: (x, y) => x - y,
    Mul: (x, y) => x * y,
    RealDiv: (x, y) => x / y,
    Div: (x, y) => x / y,
    FloorDiv: (x, y) => Math.floor(x / y),
    Maximum: (x, y) => Math.max(x, y),
    Minimum: (x, y) => Math.min(x, y),
    Pow: (x, y) => x ** y,
    SquaredDifference: (x, y) => (x - y) * (x - y),
  };
  const fn = fns[op];
  if (!fn) return undefined;
  const shape = broadcastShape(a.shape, b.shape, op);
  const A = broadcastTo(a, shape);
  const B = broadcastTo(b, shape);
  const isInt = a.dtype === 'int32' && b.dtype === 'int32';
  const out = isInt ? new Int32Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
  for (let k = 0; k < out.length; k++) out[k] = fn(A.data[k] as number, B.data[k] as number);
  if (isInt && (op === 'RealDiv' || op === 'Div'))
    for (let k = 0; k < out.length; k++) out[k] = Math.trunc(out[k] as number);
  return { dtype: isInt ? 'int32' : 'float32', shape, data: out };
}

export function hostUnary(op: string, a: HostTensor): HostTensor | undefined {
  const fns: Record<string, (x: number) => number> = {
    Neg: (x) => -x,
    Abs: Math.abs,
    Sqrt: Math.sqrt,
    Rsqrt: (x) => 1 / Math.sqrt(x),
    Square: (x) => x * x,
    Relu: (x) => Math.max(0, x),
    Exp: Math.exp,
    Reciprocal: (x) => 1 / x,
    Floor: Math.floor,
  };
  const fn = fns[op];
  if (!fn) return undefined;
  const out = a.dtype === 'float32' ? new Float32Array(a.data.length) : new Int32Array(a.data.length);
  for (let k = 0; k < out.length; k++) out[k] = fn(a.data[k] as number);
  return { dtype: a.dtype, shape: a.shape.slice(), data: out };
}

export function intTensor(values: readonly number[], shape: number[] = [values.length]): HostTensor {
  return { dtype: 'int32', shape, data: Int32Array.from(values) };
}

/** Resolved static StridedSlice: per input axis start/end/step, then axes to drop/insert. */
export interface SliceSpec {
  starts: number[];
  ends: number[];
  steps: number[];
  /** Shape after the slice, before shrink/new-axis reshaping. */
  sliced: number[];
  /** Final TF output shape. */
  outShape: number[];
}

/** TF StridedSlice semantics for static begin/end/strides (ellipsis and new-axis masks supported). */
export function resolveStridedSlice(
  inShape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  stride: readonly number[],
  masks: { begin: number; end: number; ellipsis: number; newAxis: number; shrink: number },
): SliceSpec {
  // Expand the sparse spec into one entry per input axis, remembering new axes / shrinks.
  type Dim =
    | {
        kind: 'axis';
        axis: number;
        b: number;
        e: number;
        s: number;
        bm: boolean;
        em: boolean;
        shrink: boolean;
      }
    | { kind: 'new' };
  const dims: Dim[] = [];
  const n = begin.length;
  let axis = 0;
  const nonEllipsisAxes = Array.from({ length: n }, (_, i) => i).filter(
    (i) => !(masks.ellipsis & (1 << i)) && !(masks.newAxis & (1 << i)),
  ).length;
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    if (masks.ellipsis & bit) {
      const count = inShape.length - nonEllipsisAxes;
      for (let k = 0; k < count; k++)
        dims.push({ kind: 'axis', axis: axis++, b: 0, e: 0, s: 1, bm: true, em: true, shrink: false });
    } else if (masks.newAxis & bit) {
      dims.push({ kind: 'new' });
    } else {
      dims.push({
        kind: 'axis',
        axis: axis++,
        b: begin[i] as number,
        e: end[i] as number,
        s: stride[i] as number,
        bm: Boolean(masks.begin & bit),
        em: Boolean(masks.end & bit),
        shrink: Boolean(masks.shrink & bit),
      });
    }
  }
  while (axis < inShape.length)
    dims.push({ kind: 'axis', axis: axis++, b: 0, e: 0, s: 1, bm: true, em: true, shrink: false });
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const sliced: number[] = [];
  const outShape: number[] = [];
  for (const d of dims) {
    if (d.kind === 'new') {
      outShape.push(1);
      continue;
    }
    const size = inShape[d.axis] as number;
    if (d.s === 0) throw new Error('StridedSlice: stride 0');
    const norm = (v: number): number => (v < 0 ? v + size : v);
    let b: number;
    let e: number;
    if (d.shrink) {
      b = norm(d.b);
      e = b + 1;
      if (b < 0 || b >= size)
        throw new Error(`StridedSlice: shrink index ${d.b} out of range for size ${size}`);
      starts.push(b);
      ends.push(e);
      steps.push(1);
      sliced.push(1);
      continue;
    }
    if (d.s > 0) {
      b = d.bm ? 0 : Math.min(Math.max(norm(d.b), 0), size);
      e = d.em ? size : Math.min(Math.max(norm(d.e), 0), size);
    } else {
      b = d.bm ? size - 1 : Math.min(Math.max(norm(d.b), -1), size - 1);
      e = d.em ? -1 : Math.min(Math.max(norm(d.e), -1), size - 1);
    }
    const len = Math.max(0, Math.ceil((e - b) / d.s));
    starts.push(b);
    ends.push(e);
    steps.push(d.s);
    sliced.push(len);
    outShape.push(len);
  }
  return { starts, ends, steps, sliced, outShape };
}

/** Host evaluation of a resolved strided slice (before shrink). */
export function hostSlice(t: HostTensor, spec: SliceSpec): HostTensor {
  const size = sizeOf(spec.sliced);
  const out = t.data instanceof Float32Array ? new Float32Array(size) : new Int32Array(size);
  const st = strides(t.shape);
  const idx = new Array<number>(spec.sliced.length).fill(0);
  for (let k = 0; k < size; k++) {
    let off = 0;
    for (let j = 0; j < idx.length; j++)
      off +=
        ((spec.starts[j] as number) + (idx[j] as number) * (spec.steps[j] as number)) * (st[j] as number);
    out[k] = t.data[off] as number;
    for (let j = idx.length - 1; j >= 0; j--) {
      idx[j] = (idx[j] as number) + 1;
      if ((idx[j] as number) < (spec.sliced[j] as number)) break;
      idx[j] = 0;
    }
  }
  return { dtype: t.dtype, shape: spec.outShape.slice(), data: out };
}

/** Host concat along `axis`. */
export function hostConcat(parts: HostTensor[], axis: number): HostTensor {
  const first = parts[0];
  if (!first) throw new Error('concat of nothing');
  const shape = first.shape.slice();
  shape[axis] = parts.reduce((a, p) => a + (p.shape[axis] as number), 0);
  const outer = sizeOf(shape.slice(0, axis));
  const isInt = parts.every((p) => p.dtype === 'int32');
  const out = isInt ? new Int32Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const inner = sizeOf(p.shape.slice(axis));
      for (let i = 0; i < inner; i++) out[k++] = p.data[o * inner + i] as number;
    }
  }
  return { dtype: isInt ? 'int32' : 'float32', shape, data: out };
}

/** Resolves a TF Reshape target (one -1 allowed) against a known input size. */
export function resolveReshape(
  inShape: readonly number[],
  target: readonly number[],
  name: string,
): number[] {
  const total = sizeOf(inShape);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const unknown = target.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`Reshape ${name}: more than one -1 in [${target.join(',')}]`);
  const out = target.map((d) => (d === -1 ? total / known : d));
  if (sizeOf(out) !== total || out.some((d) => !Number.isInteger(d))) {
    throw new Error(`Reshape ${name}: cannot reshape [${inShape.join(',')}] to [${target.join(',')}]`);
  }
  return out;
}

/** TF SAME/VALID/EXPLICIT padding for one spatial axis: [begin, end, outSize]. */
export function spatialPadding(
  padding: string,
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  explicit?: [number, number],
): [number, number, number] {
  const eff = (kernel - 1) * dilation + 1;
  if (padding === 'VALID') return [0, 0, Math.floor((inSize - eff) / stride) + 1];
  if (padding === 'SAME') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + eff - inSize, 0);
    const begin = Math.floor(total / 2);
    return [begin, total - begin, out];
  }
  if (padding === 'EXPLICIT' && explicit) {
    const [b, e] = explicit;
    return [b, e, Math.floor((inSize + b + e - eff) / stride) + 1];
  }
  throw new Error(`unsupported padding ${padding}`);
}
