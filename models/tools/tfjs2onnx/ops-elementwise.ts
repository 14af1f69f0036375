// Elementwise TF ops. They run in whatever layout their main input is held in, so chains of
// conv → add → prelu stay NCHW without Transposes.
import { type ConvertContext, type Value, UnsupportedOpError, attrFloat } from './context.js';
import { broadcastShape, hostBinary, hostUnary } from './host-ops.js';
import type { TfNode } from './tfjs-model.js';

export type Handler = (ctx: ConvertContext, node: TfNode) => Value;

const UNARY: Record<string, string> = {
  Relu: 'Relu',
  Sigmoid: 'Sigmoid',
  Tanh: 'Tanh',
  Abs: 'Abs',
  Sqrt: 'Sqrt',
  Exp: 'Exp',
  Log: 'Log',
  Neg: 'Neg',
  Floor: 'Floor',
  Ceil: 'Ceil',
  Reciprocal: 'Reciprocal',
  Softplus: 'Softplus',
  Elu: 'Elu',
  Sign: 'Sign',
};

const BINARY: Record<string, string> = {
  Add: 'Add',
  AddV2: 'Add',
  BiasAdd: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Div: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Pow: 'Pow',
};

/** Applies a named activation (TF spelling, lower-case) to an ONNX tensor already in `perm`. */
export function applyActivation(
  ctx: ConvertContext,
  node: TfNode,
  kind: string,
  x: string,
  rank: number,
  perm: readonly number[],
  alpha?: Value,
): string {
  const hint = `${node.name}/${kind}`;
  switch (kind) {
    case 'relu':
      return ctx.node('Relu', [x], {}, hint);
    case 'relu6':
      return ctx.node('Clip', [x, ctx.b.addFloatScalar('zero', 0), ctx.b.addFloatScalar('six', 6)], {}, hint);
    case 'sigmoid':
      return ctx.node('Sigmoid', [x], {}, hint);
    case 'tanh':
      return ctx.node('Tanh', [x], {}, hint);
    case 'elu':
      return ctx.node('Elu', [x], { alpha: { float: 1 } }, hint);
    case 'leakyrelu':
      return ctx.node('LeakyRelu', [x], { alpha: { float: attrFloat(node, 'leakyrelu_alpha', 0.2) } }, hint);
    case 'prelu': {
      if (!alpha) throw new UnsupportedOpError(node.op, node.name, 'Prelu without alpha argument');
      return ctx.node('PRelu', [x, ctx.operand(alpha, rank, perm)], {}, hint);
    }
    default:
      throw new UnsupportedOpError(node.op, node.name, `fused activation "${kind}"`);
  }
}

/** Picks the layout for an elementwise op: that of the first full-rank runtime input. */
function chooseLayout(inputs: Value[], rank: number): number[] {
  const lead = inputs.find((v) => !v.host && v.shape.length === rank);
  return lead ? lead.home : Array.from({ length: rank }, (_, i) => i);
}

export const unary: Handler = (ctx, node) => {
  const x = ctx.input(node, 0);
  if (x.host) {
    const folded = hostUnary(node.op, x.host);
    if (folded) return ctx.hostValue(node.name, folded);
  }
  const perm = x.home;
  const xin = ctx.tensor(x, perm);
  let out: string;
  switch (node.op) {
    case 'Relu6':
      out = applyActivation(ctx, node, 'relu6', xin, x.shape.length, perm);
      break;
    case 'LeakyRelu':
      out = ctx.node('LeakyRelu', [xin], { alpha: { float: attrFloat(node, 'alpha', 0.2) } }, node.name);
      break;
    case 'Rsqrt':
      out = ctx.node('Reciprocal', [ctx.node('Sqrt', [xin], {}, `${node.name}/sqrt`)], {}, node.name);
      break;
    case 'Square':
      out = ctx.node('Mul', [xin, xin], {}, node.name);
      break;
    default: {
      const op = UNARY[node.op];
      if (!op) throw new UnsupportedOpError(node.op, node.name);
      out = ctx.node(op, [xin], {}, node.name);
    }
  }
  return ctx.runtime(node.name, x.shape.slice(), out, perm, x.dtype);
};

export const binary: Handler = (ctx, node) => {
  const a = ctx.input(node, 0);
  const b = ctx.input(node, 1);
  if (a.host && b.host) {
    const folded = hostBinary(node.op, a.host, b.host);
    if (folded) return ctx.hostValue(node.name, folded);
  }
  const shape = broadcastShape(a.shape, b.shape, `${node.op} ${node.name}`);
  const rank = shape.length;
  const perm = chooseLayout([a, b], rank);
  const ai = ctx.operand(a, rank, perm);
  const bi = ctx.operand(b, rank, perm);
  let out: string;
  if (node.op === 'SquaredDifference') {
    const d = ctx.node('Sub', [ai, bi], {}, `${node.name}/sub`);
    out = ctx.node('Mul', [d, d], {}, node.name);
  } else if (node.op === 'Prelu') {
    out = ctx.node('PRelu', [ai, bi], {}, node.name);
  } else {
    const op = BINARY[node.op];
    if (!op) throw new UnsupportedOpError(node.op, node.name);
    out = ctx.node(op, [ai, bi], {}, node.name);
  }
  return ctx.runtime(node.name, shape, out, perm, a.dtype);
};

export const addN: Handler = (ctx, node) => {
  const inputs = node.inputs.map((_, k) => ctx.input(node, k));
  const shape = inputs.reduce((s, v) => broadcastShape(s, v.shape, node.name), [] as number[]);
  const perm = chooseLayout(inputs, shape.length);
  const out = ctx.node(
    'Sum',
    inputs.map((v) => ctx.operand(v, shape.length, perm)),
    {},
    node.name,
  );
  return ctx.runtime(node.name, shape, out, perm);
};

export const UNARY_OPS = [...Object.keys(UNARY), 'Relu6', 'LeakyRelu', 'Rsqrt', 'Square'];
export const BINARY_OPS = [...Object.keys(BINARY), 'SquaredDifference', 'Prelu'];
