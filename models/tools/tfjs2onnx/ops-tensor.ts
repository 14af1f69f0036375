// Shape and data-movement TF ops. Everything computable at conversion time (Shape of a static
// tensor, StridedSlice/Pack/ConcatV2 of constants) is folded on the host.
import {
  type ConvertContext,
  type Value,
  UnsupportedOpError,
  attrBool,
  attrInt,
  attrInts,
  attrString,
} from './context.js';
import type { Handler } from './ops-elementwise.js';
import { hostConcat, hostSlice, intTensor, resolveReshape, resolveStridedSlice } from './host-ops.js';
import { identity, invert, onnxAxis, permAfterRemoving, permKey, transposeHost } from './layout.js';
import type { TfNode } from './tfjs-model.js';

const normAxis = (a: number, rank: number): number => (a < 0 ? a + rank : a);

export const passThrough: Handler = (ctx, node) => ctx.input(node, 0);

function reshapeTo(ctx: ConvertContext, node: TfNode, x: Value, shape: number[]): Value {
  if (x.host) return ctx.hostValue(node.name, { ...x.host, shape });
  const target = ctx.b.addInt64(`${node.name}/shape`, shape);
  return ctx.runtime(
    node.name,
    shape,
    ctx.node('Reshape', [ctx.tensor(x), target], {}, node.name),
    identity(shape.length),
    x.dtype,
  );
}

export const reshape: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const target = ctx.ints(node, 1, 'shape');
  return reshapeTo(ctx, node, x, resolveReshape(x.shape, target, node.name));
};

export const squeeze: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const rank = x.shape.length;
  let axes = attrInts(node, 'squeeze_dims', []).map((a) => normAxis(a, rank));
  if (axes.length === 0) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of axes)
    if (x.shape[a] !== 1) throw new Error(`Squeeze ${node.name}: axis ${a} has size ${x.shape[a]}`);
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  if (x.host) return ctx.hostValue(node.name, { ...x.host, shape });
  const perm = x.home;
  const onnxAxes = ctx.b.addInt64(
    `${node.name}/axes`,
    axes.map((a) => onnxAxis(perm, a)),
  );
  const out = ctx.node('Squeeze', [ctx.tensor(x, perm), onnxAxes], {}, node.name);
  return ctx.runtime(node.name, shape, out, permAfterRemoving(perm, axes), x.dtype);
};

export const expandDims: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const [dim] = ctx.ints(node, 1, 'dim') as [number];
  const axis = normAxis(dim, x.shape.length + 1);
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  return reshapeTo(ctx, node, x, shape);
};

export const concat: Handler = (ctx, node) => {
  const n = node.inputs.length - 1;
  const parts = Array.from({ length: n }, (_, k) => ctx.input(node, k));
  const first = parts[0];
  if (!first) throw new Error(`ConcatV2 ${node.name}: no inputs`);
  const rank = first.shape.length;
  const [rawAxis] = ctx.ints(node, n, 'axis') as [number];
  const axis = normAxis(rawAxis, rank);
  const shape = first.shape.slice();
  shape[axis] = parts.reduce((s, p) => s + (p.shape[axis] as number), 0);
  if (parts.every((p) => p.host))
    return ctx.hostValue(
      node.name,
      hostConcat(
        parts.map((p) => p.host!),
        axis,
      ),
    );
  const lead = parts.find((p) => !p.host) as Value;
  const perm = lead.home;
  const out = ctx.node(
    'Concat',
    parts.map((p) => ctx.tensor(p, perm)),
    { axis: onnxAxis(perm, axis) },
    node.name,
  );
  return ctx.runtime(node.name, shape, out, perm, first.dtype);
};

export const pack: Handler = (ctx, node) => {
  const parts = node.inputs.map((_, k) => ctx.input(node, k));
  const first = parts[0];
  if (!first) throw new Error(`Pack ${node.name}: no inputs`);
  const axis = normAxis(attrInt(node, 'axis', 0), first.shape.length + 1);
  const unit = [...first.shape.slice(0, axis), 1, ...first.shape.slice(axis)];
  if (parts.every((p) => p.host)) {
    return ctx.hostValue(
      node.name,
      hostConcat(
        parts.map((p) => ({ ...p.host!, shape: unit })),
        axis,
      ),
    );
  }
  const axesName = ctx.b.addInt64(`${node.name}/axes`, [axis]);
  const expanded = parts.map((p) =>
    ctx.node('Unsqueeze', [ctx.tensor(p), axesName], {}, `${node.name}/unsqueeze`),
  );
  const shape = unit.slice();
  shape[axis] = parts.length;
  return ctx.runtime(
    node.name,
    shape,
    ctx.node('Concat', expanded, { axis }, node.name),
    identity(shape.length),
    first.dtype,
  );
};

export const shapeOf: Handler = (ctx, node) => ctx.hostValue(node.name, intTensor(ctx.input(node, 0).shape));

export const stridedSlice: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const spec = resolveStridedSlice(
    x.shape,
    ctx.ints(node, 1, 'begin'),
    ctx.ints(node, 2, 'end'),
    ctx.ints(node, 3, 'strides'),
    {
      begin: attrInt(node, 'begin_mask', 0),
      end: attrInt(node, 'end_mask', 0),
      ellipsis: attrInt(node, 'ellipsis_mask', 0),
      newAxis: attrInt(node, 'new_axis_mask', 0),
      shrink: attrInt(node, 'shrink_axis_mask', 0),
    },
  );
  if (x.host) return ctx.hostValue(node.name, hostSlice(x.host, spec));
  const axes = spec.starts.map((_, i) => i);
  // For a negative step an end of -1 means "past index 0"; ONNX needs a large negative for that.
  const ends = spec.ends.map((e, i) => ((spec.steps[i] as number) < 0 && e < 0 ? -(2 ** 53 - 1) : e));
  const sliced = ctx.node(
    'Slice',
    [
      ctx.tensor(x),
      ctx.b.addInt64(`${node.name}/starts`, spec.starts),
      ctx.b.addInt64(`${node.name}/ends`, ends),
      ctx.b.addInt64(`${node.name}/axes`, axes),
      ctx.b.addInt64(`${node.name}/steps`, spec.steps),
    ],
    {},
    node.name,
  );
  const v = ctx.runtime(node.name, spec.sliced, sliced, identity(spec.sliced.length), x.dtype);
  if (spec.sliced.join(',') === spec.outShape.join(',')) return v;
  return reshapeTo(ctx, { ...node, name: `${node.name}/reshape` }, v, spec.outShape);
};

/** TF Transpose with a constant perm: no ONNX op, only a relabelling of the held layouts. */
export const transpose: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const tp = ctx.ints(node, 1, 'perm');
  const shape = tp.map((p) => x.shape[p] as number);
  if (x.host) return ctx.hostValue(node.name, transposeHost(x.host, tp));
  const inv = invert(tp);
  const forms = new Map<string, string>();
  let home: number[] = identity(shape.length);
  for (const [key, name] of x.forms) {
    const p = key.split(',').map(Number);
    const q = p.map((a) => inv[a] as number);
    forms.set(permKey(q), name);
    if (key === permKey(x.home)) home = q;
  }
  return { tfName: node.name, shape, dtype: x.dtype, forms, home };
};

export const pad: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const p = ctx.ints(node, 1, 'paddings');
  const shape = x.shape.map((d, i) => d + (p[i * 2] as number) + (p[i * 2 + 1] as number));
  const perm = x.home;
  const begins = perm.map((a) => p[a * 2] as number);
  const ends = perm.map((a) => p[a * 2 + 1] as number);
  let mode = 'constant';
  const inputs = [ctx.tensor(x, perm), ctx.b.addInt64(`${node.name}/pads`, [...begins, ...ends])];
  if (node.op === 'MirrorPad') {
    const m = attrString(node, 'mode');
    if (m !== 'REFLECT')
      throw new UnsupportedOpError(node.op, node.name, `MirrorPad mode ${m} (ONNX has only REFLECT)`);
    mode = 'reflect';
  } else if (node.op === 'PadV2') {
    const [c] = Array.from(ctx.hostInput(node, 2, 'constant_values').data) as [number];
    inputs.push(ctx.b.addFloatScalar(`${node.name}/value`, c));
  }
  return ctx.runtime(node.name, shape, ctx.node('Pad', inputs, { mode }, node.name), perm, x.dtype);
};

const REDUCE: Record<string, string> = {
  Mean: 'ReduceMean',
  Sum: 'ReduceSum',
  Max: 'ReduceMax',
  Min: 'ReduceMin',
  Prod: 'ReduceProd',
};

export const reduce: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const rank = x.shape.length;
  const axes = [...new Set(ctx.ints(node, 1, 'reduction_indices').map((a) => normAxis(a, rank)))];
  const keep = attrBool(node, 'keep_dims');
  const shape = keep
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  const perm = x.home;
  const onnxAxes = axes.map((a) => onnxAxis(perm, a));
  const op = REDUCE[node.op] as string;
  // Opset 13: ReduceSum takes axes as an input, the others as an attribute.
  const out =
    op === 'ReduceSum'
      ? ctx.node(
          op,
          [ctx.tensor(x, perm), ctx.b.addInt64(`${node.name}/axes`, onnxAxes)],
          { keepdims: keep ? 1 : 0 },
          node.name,
        )
      : ctx.node(op, [ctx.tensor(x, perm)], { axes: onnxAxes, keepdims: keep ? 1 : 0 }, node.name);
  return ctx.runtime(node.name, shape, out, keep ? perm : permAfterRemoving(perm, axes), x.dtype);
};

export const cast: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const to = node.attr.DstT?.type ?? 'DT_FLOAT';
  const dtype = to === 'DT_INT32' ? 'int32' : to === 'DT_FLOAT' ? 'float32' : undefined;
  if (!dtype) throw new UnsupportedOpError(node.op, node.name, `cast to ${to}`);
  if (x.host) {
    const data =
      dtype === 'int32' ? Int32Array.from(x.host.data, Math.trunc) : Float32Array.from(x.host.data);
    return ctx.hostValue(node.name, { dtype, shape: x.host.shape.slice(), data });
  }
  const out = ctx.node('Cast', [ctx.tensor(x, x.home)], { to: dtype === 'int32' ? 6 : 1 }, node.name);
  return ctx.runtime(node.name, x.shape.slice(), out, x.home, dtype);
};
