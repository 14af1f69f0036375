// Layout-sensitive TF ops: convolutions (plain and fused), pooling, batch norm, resize, plus
// MatMul/Gemm and Softmax. Convolutions and pools run in NCHW with explicit TF padding
// (SAME at stride 2 pads more at the end than at the start).
import {
  type ConvertContext,
  type Value,
  UnsupportedOpError,
  attrBool,
  attrFloat,
  attrInts,
  attrString,
} from './context.js';
import { type Handler, applyActivation } from './ops-elementwise.js';
import { spatialPadding } from './host-ops.js';
import { NCHW, identity, onnxAxis, transposeHost } from './layout.js';
import type { HostTensor, TfNode } from './tfjs-model.js';

function checkNhwc(node: TfNode): void {
  const fmt = attrString(node, 'data_format', 'NHWC');
  if (fmt !== 'NHWC') throw new UnsupportedOpError(node.op, node.name, `data_format ${fmt} (only NHWC)`);
}

interface Fused {
  bias?: Value;
  activation?: string;
  alpha?: Value;
}

/** Reads `fused_ops` and the extra arguments the way tfjs-converter does. */
function fusedArgs(ctx: ConvertContext, node: TfNode, firstArg: number): Fused {
  const ops = (node.attr.fused_ops?.list?.s ?? []).map((s) => s.toLowerCase());
  if (ops.length === 0) return {};
  const [extra, act] = ops;
  const args = node.inputs.slice(firstArg).map((_, k) => ctx.input(node, firstArg + k));
  if (extra === 'fusedbatchnorm')
    throw new UnsupportedOpError(node.op, node.name, 'fused_ops FusedBatchNorm (tfjs cannot run it either)');
  if (extra === 'biasadd') {
    const out: Fused = { bias: args[0] };
    if (act) out.activation = act;
    if (act === 'prelu') out.alpha = args[1];
    return out;
  }
  // No BiasAdd: the single fused op is the activation (tfjs passes its argument as alpha).
  const out: Fused = { activation: extra as string };
  if (extra === 'prelu') out.alpha = args[0];
  return out;
}

function spatial(
  node: TfNode,
  inShape: number[],
  kh: number,
  kw: number,
): { pads: number[]; strides: number[]; dilations: number[]; oh: number; ow: number } {
  const [, sh, sw] = attrInts(node, 'strides', [1, 1, 1, 1]) as [number, number, number, number];
  const [, dh, dw] = attrInts(node, 'dilations', [1, 1, 1, 1]) as [number, number, number, number];
  const padding = attrString(node, 'padding');
  const explicit = node.attr.explicit_paddings?.list?.i ?? [];
  const ex = (axis: number): [number, number] | undefined =>
    explicit.length === 8 ? [explicit[axis * 2] as number, explicit[axis * 2 + 1] as number] : undefined;
  const [pt, pb, oh] = spatialPadding(padding, inShape[1] as number, kh, sh, dh, ex(1));
  const [pl, pr, ow] = spatialPadding(padding, inShape[2] as number, kw, sw, dw, ex(2));
  return { pads: [pt, pl, pb, pr], strides: [sh, sw], dilations: [dh, dw], oh, ow };
}

/** Conv2D, _FusedConv2D, DepthwiseConv2dNative, (_)FusedDepthwiseConv2dNative. */
export const conv: Handler = (ctx, node) => {
  checkNhwc(node);
  const x = ctx.input(node, 0);
  const w = ctx.hostInput(node, 1, 'filter');
  if (x.shape.length !== 4 || w.shape.length !== 4)
    throw new UnsupportedOpError(node.op, node.name, 'only 4-D input and filter');
  const depthwise = node.op.includes('Depthwise');
  const [kh, kw, wc, wm] = w.shape as [number, number, number, number];
  const cin = x.shape[3] as number;
  let weight: HostTensor;
  let group: number;
  let cout: number;
  if (depthwise) {
    // TF [kh,kw,C,M] → ONNX [C*M,1,kh,kw], group C; output channel c*M+m as in TF.
    const t = transposeHost(w, [2, 3, 0, 1]);
    weight = { ...t, shape: [wc * wm, 1, kh, kw] };
    group = wc;
    cout = wc * wm;
  } else {
    weight = transposeHost(w, [3, 2, 0, 1]);
    if (cin % wc !== 0)
      throw new Error(`${node.name}: input channels ${cin} not a multiple of filter channels ${wc}`);
    group = cin / wc;
    cout = wm;
  }
  const s = spatial(node, x.shape, kh, kw);
  const fused = node.op.startsWith('_Fused') || node.op.startsWith('Fused') ? fusedArgs(ctx, node, 2) : {};
  const inputs = [ctx.tensor(x, NCHW), ctx.b.addTensor(`${node.name}/weights`, weight)];
  if (fused.bias) {
    if (!fused.bias.host) throw new UnsupportedOpError(node.op, node.name, 'bias must be a constant');
    inputs.push(ctx.tensor(fused.bias));
  }
  let out = ctx.node(
    'Conv',
    inputs,
    { kernel_shape: [kh, kw], strides: s.strides, pads: s.pads, dilations: s.dilations, group },
    fused.activation ? `${node.name}/conv` : node.name,
  );
  if (fused.activation) out = applyActivation(ctx, node, fused.activation, out, 4, NCHW, fused.alpha);
  return ctx.runtime(node.name, [x.shape[0] as number, s.oh, s.ow, cout], out, NCHW);
};

/** MaxPool / AvgPool with TF padding; AvgPool excludes padding from the count like TF. */
export const pool: Handler = (ctx, node) => {
  checkNhwc(node);
  const x = ctx.input(node, 0);
  const [, kh, kw] = attrInts(node, 'ksize') as [number, number, number, number];
  const s = spatial(node, x.shape, kh, kw);
  const attrs = { kernel_shape: [kh, kw], strides: s.strides, pads: s.pads };
  const out =
    node.op === 'MaxPool'
      ? ctx.node('MaxPool', [ctx.tensor(x, NCHW)], attrs, node.name)
      : ctx.node('AveragePool', [ctx.tensor(x, NCHW)], { ...attrs, count_include_pad: 0 }, node.name);
  return ctx.runtime(node.name, [x.shape[0] as number, s.oh, s.ow, x.shape[3] as number], out, NCHW);
};

/** FusedBatchNorm(V2/V3) in inference mode. */
export const batchNorm: Handler = (ctx, node) => {
  checkNhwc(node);
  if (attrBool(node, 'is_training', false))
    throw new UnsupportedOpError(node.op, node.name, 'is_training=true');
  const x = ctx.input(node, 0);
  const perm = x.shape.length === 4 ? [...NCHW] : identity(x.shape.length);
  const params = [1, 2, 3, 4].map((k) => ctx.tensor(ctx.input(node, k)));
  const out = ctx.node(
    'BatchNormalization',
    [ctx.tensor(x, perm), ...params],
    { epsilon: { float: attrFloat(node, 'epsilon', 1e-3) } },
    node.name,
  );
  return ctx.runtime(node.name, x.shape.slice(), out, perm);
};

/** MatMul, _FusedMatMul (2-D, as Gemm), BatchMatMul/V2 (as MatMul). */
export const matmul: Handler = (ctx, node) => {
  const a = ctx.input(node, 0);
  const b = ctx.input(node, 1);
  const batch = node.op.startsWith('BatchMatMul');
  const ta = batch ? attrBool(node, 'adj_x') : attrBool(node, 'transpose_a');
  const tb = batch ? attrBool(node, 'adj_y') : attrBool(node, 'transpose_b');
  const rank = a.shape.length;
  const m = a.shape[ta ? rank - 1 : rank - 2] as number;
  const n = b.shape[tb ? b.shape.length - 2 : b.shape.length - 1] as number;
  const fused = node.op === '_FusedMatMul' ? fusedArgs(ctx, node, 2) : {};
  const outShape = [...a.shape.slice(0, rank - 2), m, n];
  let out: string;
  if (rank === 2 && b.shape.length === 2) {
    const inputs = [ctx.tensor(a), ctx.tensor(b)];
    if (fused.bias) inputs.push(ctx.operand(fused.bias, 1, [0]));
    out = ctx.node(
      'Gemm',
      inputs,
      { transA: ta ? 1 : 0, transB: tb ? 1 : 0 },
      fused.activation ? `${node.name}/gemm` : node.name,
    );
  } else {
    const swap = (v: Value, t: boolean): string => {
      const name = ctx.tensor(v);
      if (!t) return name;
      const r = v.shape.length;
      const perm = [...identity(r - 2), r - 1, r - 2];
      return ctx.node('Transpose', [name], { perm }, `${node.name}/adj`);
    };
    out = ctx.node('MatMul', [swap(a, ta), swap(b, tb)], {}, node.name);
    if (fused.bias) out = ctx.node('Add', [out, ctx.tensor(fused.bias)], {}, `${node.name}/bias`);
  }
  if (fused.activation)
    out = applyActivation(
      ctx,
      node,
      fused.activation,
      out,
      outShape.length,
      identity(outShape.length),
      fused.alpha,
    );
  return ctx.runtime(node.name, outShape, out);
};

export const softmax: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const axis = onnxAxis(x.home, x.shape.length - 1);
  const op = node.op === 'LogSoftmax' ? 'LogSoftmax' : 'Softmax';
  const out = ctx.node(op, [ctx.tensor(x, x.home)], { axis }, node.name);
  return ctx.runtime(node.name, x.shape.slice(), out, x.home);
};

/** ResizeBilinear / ResizeNearestNeighbor with TF's align_corners / half_pixel_centers. */
export const resize: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  const [oh, ow] = ctx.ints(node, 1, 'size') as [number, number];
  const align = attrBool(node, 'align_corners');
  const half = attrBool(node, 'half_pixel_centers');
  const bilinear = node.op === 'ResizeBilinear';
  const ctm = align
    ? 'align_corners'
    : half
      ? bilinear
        ? 'half_pixel'
        : 'tf_half_pixel_for_nn'
      : 'asymmetric';
  const attrs: Record<string, string> = {
    mode: bilinear ? 'linear' : 'nearest',
    coordinate_transformation_mode: ctm,
  };
  if (!bilinear) attrs.nearest_mode = align ? 'round_prefer_ceil' : 'floor';
  const [n, , , c] = x.shape as [number, number, number, number];
  const sizes = ctx.b.addInt64(`${node.name}/sizes`, [n, c, oh, ow]);
  const out = ctx.node('Resize', [ctx.tensor(x, NCHW), '', '', sizes], attrs, node.name);
  return ctx.runtime(node.name, [n, oh, ow, c], out, NCHW);
};

export const CONV_OPS = [
  'Conv2D',
  '_FusedConv2D',
  'DepthwiseConv2dNative',
  'DepthwiseConv2d',
  'FusedDepthwiseConv2dNative',
  '_FusedDepthwiseConv2dNative',
];
export const POOL_OPS = ['MaxPool', 'AvgPool'];
export const BN_OPS = ['FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3'];
export const MATMUL_OPS = ['MatMul', '_FusedMatMul', 'BatchMatMul', 'BatchMatMulV2'];
export const RESIZE_OPS = ['ResizeBilinear', 'ResizeNearestNeighbor'];
