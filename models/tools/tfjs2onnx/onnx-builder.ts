// A small ONNX graph builder over `onnx-proto` (protobufjs). Holds nodes and initializers,
// prunes what the outputs do not need, and encodes a ModelProto.
import onnxProto from 'onnx-proto';
import type { HostTensor } from './tfjs-model.js';

const { onnx } = onnxProto;

export type AttrValue = number | string | number[] | { floats: number[] } | { float: number };

export interface BuiltNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface IoSpec {
  name: string;
  shape: number[];
  elemType?: 'float32' | 'int32' | 'int64';
}

const ELEM: Record<string, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.INT32,
};

interface Initializer {
  name: string;
  dims: number[];
  elemType: 'float32' | 'int32' | 'int64';
  raw: Uint8Array;
}

export class OnnxGraphBuilder {
  readonly nodes: BuiltNode[] = [];
  private readonly inits = new Map<string, Initializer>();
  private readonly used = new Set<string>();

  /** A fresh tensor/node name based on `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let k = 1; this.used.has(name); k++) name = `${hint}__${k}`;
    this.used.add(name);
    return name;
  }

  reserve(name: string): void {
    this.used.add(name);
  }

  addNode(
    op: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    hint = op,
    outputCount = 1,
  ): string[] {
    const name = this.fresh(hint);
    const outputs =
      outputCount === 1 ? [name] : Array.from({ length: outputCount }, (_, k) => this.fresh(`${hint}:${k}`));
    this.nodes.push({ op, name, inputs, outputs, attrs });
    return outputs;
  }

  /** Adds a float32/int32 tensor as an initializer; returns its name. */
  addTensor(hint: string, t: HostTensor): string {
    const name = this.fresh(hint);
    const data = t.data instanceof Float32Array ? t.data : Int32Array.from(t.data);
    this.inits.set(name, {
      name,
      dims: t.shape.slice(),
      elemType: t.dtype === 'float32' ? 'float32' : 'int32',
      raw: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    });
    return name;
  }

  addInt64(hint: string, values: readonly number[], dims: number[] = [values.length]): string {
    const name = this.fresh(hint);
    const big = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.inits.set(name, { name, dims, elemType: 'int64', raw: new Uint8Array(big.buffer) });
    return name;
  }

  addFloatScalar(hint: string, value: number): string {
    return this.addTensor(hint, { dtype: 'float32', shape: [], data: Float32Array.of(value) });
  }

  /** Removes nodes and initializers that no graph output depends on. */
  prune(outputs: readonly string[]): void {
    const producer = new Map<string, BuiltNode>();
    for (const n of this.nodes) for (const o of n.outputs) producer.set(o, n);
    const live = new Set<BuiltNode>();
    const needed = new Set<string>();
    const stack = [...outputs];
    while (stack.length) {
      const t = stack.pop() as string;
      if (needed.has(t)) continue;
      needed.add(t);
      const n = producer.get(t);
      if (n && !live.has(n)) {
        live.add(n);
        for (const i of n.inputs) if (i) stack.push(i);
      }
    }
    const kept = this.nodes.filter((n) => live.has(n));
    this.nodes.length = 0;
    this.nodes.push(...kept);
    for (const name of [...this.inits.keys()]) if (!needed.has(name)) this.inits.delete(name);
  }

  encode(opts: {
    inputs: IoSpec[];
    outputs: IoSpec[];
    opset: number;
    graphName: string;
    producer: string;
    metadata: Record<string, string>;
  }): Uint8Array {
    const valueInfo = (io: IoSpec): onnxProto.onnx.IValueInfoProto => ({
      name: io.name,
      type: {
        tensorType: {
          elemType: ELEM[io.elemType ?? 'float32'],
          shape: { dim: io.shape.map((d) => (d < 0 ? { dimParam: 'N' } : { dimValue: d })) },
        },
      },
    });
    const attr = (name: string, v: AttrValue): onnxProto.onnx.IAttributeProto => {
      const T = onnx.AttributeProto.AttributeType;
      if (typeof v === 'number') return { name, type: T.INT, i: v };
      if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
      if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
      if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
      return { name, type: T.FLOAT, f: v.float };
    };
    const model = onnx.ModelProto.create({
      irVersion: 7,
      producerName: opts.producer,
      producerVersion: '1',
      opsetImport: [{ domain: '', version: opts.opset }],
      metadataProps: Object.entries(opts.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: opts.graphName,
        node: this.nodes.map((n) => ({
          name: n.name,
          opType: n.op,
          input: n.inputs,
          output: n.outputs,
          attribute: Object.entries(n.attrs).map(([k, v]) => attr(k, v)),
        })),
        initializer: [...this.inits.values()].map((t) => ({
          name: t.name,
          dims: t.dims,
          dataType: ELEM[t.elemType],
          rawData: t.raw,
        })),
        input: opts.inputs.map(valueInfo),
        output: opts.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
