// Test helper: builds small TFJS graph models (model.json object + weight bytes) in memory,
// and checks a conversion against tfjs-converter on the CPU backend.
import { convertGraph, type ConvertOptions, type ConvertResult } from '../../tools/tfjs2onnx/convert.js';
import { maxAbsDiff, runOnnx, runTfjs, seededFloats } from '../../tools/tfjs2onnx/run-both.js';
import {
  parseGraphModel,
  type RawGraphNode,
  type RawModelJson,
  type WeightSpec,
} from '../../tools/tfjs2onnx/tfjs-model.js';

type RawAttrValue = NonNullable<RawGraphNode['attr']>[string];

export const attr = {
  s: (v: string): RawAttrValue => ({ s: Buffer.from(v, 'latin1').toString('base64') }),
  ss: (v: string[]): RawAttrValue => ({
    list: { s: v.map((x) => Buffer.from(x, 'latin1').toString('base64')) },
  }),
  ints: (v: number[]): RawAttrValue => ({ list: { i: v.map(String) } }),
  i: (v: number): RawAttrValue => ({ i: String(v) }),
  f: (v: number): RawAttrValue => ({ f: v }),
  b: (v: boolean): RawAttrValue => ({ b: v }),
  type: (v: string): RawAttrValue => ({ type: v }),
};

export class TfGraphBuilder {
  private readonly nodes: RawGraphNode[] = [];
  private readonly specs: WeightSpec[] = [];
  private readonly chunks: Uint8Array[] = [];
  private seed = 1;

  placeholder(name: string, shape: number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: {
        dtype: attr.type('DT_FLOAT'),
        shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } },
      },
    });
    return name;
  }

  /** A float32 constant; `values` omitted → seeded random in [lo, hi). */
  const(name: string, shape: number[], values?: number[] | Float32Array, lo = -1, hi = 1): string {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = values ? Float32Array.from(values) : seededFloats(n, this.seed++ * 7919, lo, hi);
    if (data.length !== n) throw new Error(`const ${name}: ${data.length} values for shape ${shape}`);
    this.specs.push({ name, shape, dtype: 'float32' });
    this.chunks.push(new Uint8Array(data.buffer));
    this.nodes.push({
      name,
      op: 'Const',
      attr: { dtype: attr.type('DT_FLOAT'), value: { tensor: { dtype: 'DT_FLOAT' } } },
    });
    return name;
  }

  int(name: string, values: number[], shape: number[] = [values.length]): string {
    this.specs.push({ name, shape, dtype: 'int32' });
    this.chunks.push(new Uint8Array(Int32Array.from(values).buffer));
    this.nodes.push({
      name,
      op: 'Const',
      attr: { dtype: attr.type('DT_INT32'), value: { tensor: { dtype: 'DT_INT32' } } },
    });
    return name;
  }

  /** A uint8-quantised float constant (tfjs weight quantisation). */
  quantised(name: string, bytes: number[], shape: number[], scale: number, min: number): string {
    this.specs.push({ name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } });
    this.chunks.push(Uint8Array.from(bytes));
    this.nodes.push({
      name,
      op: 'Const',
      attr: { dtype: attr.type('DT_FLOAT'), value: { tensor: { dtype: 'DT_FLOAT' } } },
    });
    return name;
  }

  op(name: string, op: string, inputs: string[], attrs: Record<string, RawAttrValue> = {}): string {
    this.nodes.push({ name, op, input: inputs, attr: { T: attr.type('DT_FLOAT'), ...attrs } });
    return name;
  }

  build(): { json: RawModelJson; weightBytes: Uint8Array } {
    const total = this.chunks.reduce((a, c) => a + c.byteLength, 0);
    const weightBytes = new Uint8Array(total);
    let off = 0;
    for (const c of this.chunks) {
      weightBytes.set(c, off);
      off += c.byteLength;
    }
    const json: RawModelJson = {
      format: 'graph-model',
      generatedBy: 'test',
      convertedBy: 'test',
      modelTopology: { node: this.nodes, versions: {}, library: {} },
      weightsManifest: [{ paths: ['inline.bin'], weights: this.specs }],
    };
    return { json, weightBytes };
  }
}

/** Convenience attributes of a 2-D conv / pool node. */
export function convAttrs(opts: {
  strides?: number;
  padding?: 'SAME' | 'VALID';
  dilation?: number;
  fused?: string[];
  numArgs?: number;
  ksize?: number;
}): Record<string, RawAttrValue> {
  const s = opts.strides ?? 1;
  const d = opts.dilation ?? 1;
  const a: Record<string, RawAttrValue> = {
    strides: attr.ints([1, s, s, 1]),
    padding: attr.s(opts.padding ?? 'SAME'),
    data_format: attr.s('NHWC'),
    dilations: attr.ints([1, d, d, 1]),
    explicit_paddings: { list: {} },
  };
  if (opts.ksize) {
    a.ksize = attr.ints([1, opts.ksize, opts.ksize, 1]);
    delete a.dilations;
    delete a.explicit_paddings;
  }
  if (opts.fused) {
    a.fused_ops = attr.ss(opts.fused);
    a.num_args = attr.i(opts.numArgs ?? opts.fused.length);
    a.epsilon = attr.f(0);
  }
  return a;
}

export interface Comparison {
  result: ConvertResult;
  /** Max abs difference per output, TFJS vs ONNX. */
  errors: Record<string, number>;
  /** Max abs value per TFJS output (to judge the error). */
  scales: Record<string, number>;
  worst: number;
}

/**
 * Converts the graph, runs TFJS (CPU backend) and ONNX (onnxruntime) on seeded inputs and
 * compares every output. Inputs are given in TF (NHWC) shape; with `nchw` the ONNX side gets
 * the same data transposed.
 */
export async function compareGraph(
  g: TfGraphBuilder,
  inputs: Record<string, number[]>,
  outputs: string[],
  opts: ConvertOptions & { lo?: number; hi?: number } = {},
): Promise<Comparison> {
  const { json, weightBytes } = g.build();
  const graph = parseGraphModel(json, weightBytes);
  const result = convertGraph(graph, { ...opts, outputs });
  const tfFeeds: Record<string, { shape: number[]; data: Float32Array }> = {};
  const onnxFeeds: Record<string, { shape: number[]; data: Float32Array }> = {};
  let seed = 11;
  for (const [name, shape] of Object.entries(inputs)) {
    const data = seededFloats(
      shape.reduce((a, b) => a * b, 1),
      seed++,
      opts.lo ?? -1,
      opts.hi ?? 1,
    );
    tfFeeds[name] = { shape, data };
    onnxFeeds[name] =
      opts.nchw && shape.length === 4
        ? { shape: [shape[0]!, shape[3]!, shape[1]!, shape[2]!], data: nhwcToNchw(data, shape) }
        : { shape, data };
  }
  const tf = await runTfjs(json, weightBytes, tfFeeds, outputs);
  const ox = await runOnnx(result.onnx, onnxFeeds);
  const errors: Record<string, number> = {};
  const scales: Record<string, number> = {};
  for (const t of tf) {
    const o = ox.find((x) => x.name === t.name);
    if (!o) throw new Error(`ONNX model lacks output ${t.name}`);
    if (o.shape.join(',') !== t.shape.join(','))
      throw new Error(`${t.name}: ONNX shape [${o.shape}] vs TFJS [${t.shape}]`);
    errors[t.name] = maxAbsDiff(t.data, o.data);
    scales[t.name] = t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  }
  return { result, errors, scales, worst: Math.max(...Object.values(errors)) };
}

export function nhwcToNchw(data: Float32Array, shape: number[]): Float32Array {
  const [n, h, w, c] = shape as [number, number, number, number];
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++)
          out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k] as number;
  return out;
}
