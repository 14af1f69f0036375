// TFJS graph model → ONNX (opset 13). Walks the TF nodes the outputs need in dependency order,
// converts each with a handler, then names the graph inputs/outputs after the TF tensors.
import { ConvertContext, UnsupportedOpError, type Value } from './context.js';
import { type Handler, BINARY_OPS, UNARY_OPS, addN, binary, unary } from './ops-elementwise.js';
import {
  BN_OPS,
  CONV_OPS,
  MATMUL_OPS,
  POOL_OPS,
  RESIZE_OPS,
  batchNorm,
  conv,
  matmul,
  pool,
  resize,
  softmax,
} from './ops-nn.js';
import {
  cast,
  concat,
  expandDims,
  pack,
  pad,
  passThrough,
  reduce,
  reshape,
  shapeOf,
  squeeze,
  stridedSlice,
  transpose,
} from './ops-tensor.js';
import type { IoSpec } from './onnx-builder.js';
import { NCHW, identity } from './layout.js';
import type { TfGraph, TfNode } from './tfjs-model.js';

export const OPSET = 13;

const HANDLERS = new Map<string, Handler>();
const register = (ops: readonly string[], h: Handler): void => ops.forEach((op) => HANDLERS.set(op, h));
register(UNARY_OPS, unary);
register(BINARY_OPS, binary);
register(['AddN'], addN);
register(CONV_OPS, conv);
register(POOL_OPS, pool);
register(BN_OPS, batchNorm);
register(MATMUL_OPS, matmul);
register(RESIZE_OPS, resize);
register(['Softmax', 'LogSoftmax'], softmax);
register(['Identity', 'IdentityN', 'StopGradient', 'Snapshot', 'NoOp'], passThrough);
register(['Reshape'], reshape);
register(['Squeeze'], squeeze);
register(['ExpandDims'], expandDims);
register(['ConcatV2', 'Concat'], concat);
register(['Pack'], pack);
register(['Shape'], shapeOf);
register(['StridedSlice'], stridedSlice);
register(['Transpose'], transpose);
register(['Pad', 'PadV2', 'MirrorPad'], pad);
register(['Mean', 'Sum', 'Max', 'Min', 'Prod'], reduce);
register(['Cast'], cast);

/** Every TF op this converter handles (Const and Placeholder included). */
export const SUPPORTED_OPS: readonly string[] = ['Const', 'Placeholder', ...HANDLERS.keys()].sort();

export interface ConvertOptions {
  /** Declare 4-D float inputs as NCHW instead of TF's NHWC. */
  nchw?: boolean;
  /** Size used for -1 (batch) dimensions of inputs; default 1. */
  batch?: number;
  /** Output tensors to export (TF node names); default: the model signature, else graph sinks. */
  outputs?: string[];
  /** Extra ONNX metadata_props. */
  metadata?: Record<string, string>;
  graphName?: string;
}

export interface ConvertedIo extends IoSpec {
  /** TF tensor name this ONNX input/output corresponds to. */
  tfName: string;
  /** Signature key of the TFJS model, when it has one. */
  signatureKey?: string;
  layout: 'NHWC' | 'NCHW' | 'TF';
}

export interface ConvertResult {
  onnx: Uint8Array;
  inputs: ConvertedIo[];
  outputs: ConvertedIo[];
  /** ONNX op type → count, after pruning. */
  onnxOps: Record<string, number>;
  /** TF op type → count of converted nodes. */
  tfOps: Record<string, number>;
}

const portless = (name: string): string => (name.endsWith(':0') ? name.slice(0, -2) : name);
const nodeOf = (ref: string): string => portless(ref).split(':')[0] as string;

/** The TF nodes `outputs` depend on, dependencies first. */
function schedule(graph: TfGraph, outputs: string[]): TfNode[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const order: TfNode[] = [];
  const state = new Map<string, 1 | 2>();
  for (const out of outputs) {
    const stack: { node: TfNode; next: number }[] = [];
    const root = byName.get(nodeOf(out));
    if (!root) throw new Error(`output "${out}" is not a node of the graph`);
    if (state.get(root.name) === 2) continue;
    stack.push({ node: root, next: 0 });
    state.set(root.name, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as { node: TfNode; next: number };
      const ref = top.node.inputs[top.next];
      if (ref === undefined) {
        state.set(top.node.name, 2);
        order.push(top.node);
        stack.pop();
        continue;
      }
      top.next++;
      const dep = byName.get(nodeOf(ref));
      if (!dep) throw new Error(`node "${top.node.name}" reads "${ref}", which is not in the graph`);
      const s = state.get(dep.name);
      if (s === 1) throw new Error(`graph has a cycle through "${dep.name}"`);
      if (s === 2) continue;
      state.set(dep.name, 1);
      stack.push({ node: dep, next: 0 });
    }
  }
  return order;
}

function defaultOutputs(graph: TfGraph): string[] {
  const sig = Object.values(graph.signatureOutputs);
  if (sig.length) return sig;
  const consumed = new Set(graph.nodes.flatMap((n) => n.inputs.map(nodeOf)));
  return graph.nodes
    .filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp')
    .map((n) => n.name);
}

export function convertGraph(graph: TfGraph, opts: ConvertOptions = {}): ConvertResult {
  const outputs = (opts.outputs ?? defaultOutputs(graph)).map(portless);
  const order = schedule(graph, outputs);
  const unsupported = order.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder' && !HANDLERS.has(n.op));
  if (unsupported.length) {
    const first = unsupported[0] as TfNode;
    const all = [...new Set(unsupported.map((n) => n.op))].join(', ');
    throw new UnsupportedOpError(first.op, first.name, `graph needs unsupported op(s): ${all}`);
  }
  const ctx = new ConvertContext();
  for (const o of outputs) ctx.b.reserve(o);
  const inputs: ConvertedIo[] = [];
  const tfOps: Record<string, number> = {};
  const sigIn = Object.fromEntries(Object.entries(graph.signatureInputs).map(([k, v]) => [v, k]));
  const sigOut = Object.fromEntries(Object.entries(graph.signatureOutputs).map(([k, v]) => [v, k]));
  for (const node of order) {
    tfOps[node.op] = (tfOps[node.op] ?? 0) + 1;
    let value: Value;
    if (node.op === 'Const') {
      const w = graph.weights.get(node.name);
      if (!w) throw new Error(`Const "${node.name}" has no weight data in the weights manifest`);
      value = ctx.hostValue(node.name, w);
    } else if (node.op === 'Placeholder') {
      const dims = node.attr.shape?.shape;
      if (!dims) throw new Error(`Placeholder "${node.name}" has no static shape`);
      const shape = dims.map((d, i) => {
        if (d >= 0) return d;
        if (i === 0) return opts.batch ?? 1;
        throw new Error(
          `Placeholder "${node.name}" has unknown dimension ${i}: only the batch may be dynamic`,
        );
      });
      const dtype = node.attr.dtype?.type === 'DT_INT32' ? 'int32' : 'float32';
      const nchw = Boolean(opts.nchw) && shape.length === 4 && dtype === 'float32';
      const perm = nchw ? [...NCHW] : identity(shape.length);
      ctx.b.reserve(node.name);
      value = ctx.runtime(node.name, shape, node.name, perm, dtype);
      const io: ConvertedIo = {
        name: node.name,
        tfName: node.name,
        shape: perm.map((p) => shape[p] as number),
        elemType: dtype,
        layout: shape.length === 4 ? (nchw ? 'NCHW' : 'NHWC') : 'TF',
      };
      const key = sigIn[node.name];
      if (key !== undefined) io.signatureKey = key;
      inputs.push(io);
    } else {
      value = (HANDLERS.get(node.op) as Handler)(ctx, node);
    }
    ctx.values.set(node.name, value);
  }
  const outs: ConvertedIo[] = outputs.map((name) => {
    const v = ctx.values.get(name);
    if (!v) throw new Error(`output "${name}" was not produced`);
    const src = ctx.tensor(v, identity(v.shape.length));
    ctx.b.nodes.push({ op: 'Identity', name: `${name}/output`, inputs: [src], outputs: [name], attrs: {} });
    const io: ConvertedIo = {
      name,
      tfName: name,
      shape: v.shape.slice(),
      elemType: v.dtype === 'int32' ? 'int32' : 'float32',
      layout: 'TF',
    };
    const key = sigOut[name];
    if (key !== undefined) io.signatureKey = key;
    return io;
  });
  ctx.b.prune(outs.map((o) => o.name));
  const onnxOps: Record<string, number> = {};
  for (const n of ctx.b.nodes) onnxOps[n.op] = (onnxOps[n.op] ?? 0) + 1;
  const metadata: Record<string, string> = {
    converter: 'sitegate tfjs2onnx',
    'tfjs.generatedBy': graph.meta.generatedBy ?? '',
    'tfjs.convertedBy': graph.meta.convertedBy ?? '',
    'tfjs.signature.outputs': JSON.stringify(graph.signatureOutputs),
    ...opts.metadata,
  };
  const onnx = ctx.b.encode({
    inputs,
    outputs: outs,
    opset: OPSET,
    graphName: opts.graphName ?? 'tfjs2onnx',
    producer: 'sitegate-tfjs2onnx',
    metadata,
  });
  return { onnx, inputs, outputs: outs, onnxOps, tfOps };
}
