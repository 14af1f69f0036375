// Minimal ONNX ModelProto writer (protobuf wire format) for the tiny single-node graphs the
// gallery search runs on onnxruntime (MatMul / MatMulInteger). Only the fields those graphs
// need are encoded; field numbers follow onnx.proto (IR version 8).

export const ElemType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6 } as const;
export type ElemTypeCode = (typeof ElemType)[keyof typeof ElemType];

class Writer {
  readonly bytes: number[] = [];
  varint(v: number): this {
    let n = v;
    while (n > 0x7f) {
      this.bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  str(field: number, s: string): this {
    return this.sub(field, Buffer.from(s, 'utf8'));
  }
  sub(field: number, payload: ArrayLike<number>): this {
    this.tag(field, 2).varint(payload.length);
    for (let i = 0; i < payload.length; i++) this.bytes.push(payload[i] as number);
    return this;
  }
}

export interface ValueSpec {
  name: string;
  elemType: ElemTypeCode;
  /** A number is a fixed dimension; a string is a symbolic one (e.g. 'N'). */
  dims: ReadonlyArray<number | string>;
}

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
}

function valueInfo(v: ValueSpec): number[] {
  const shape = new Writer();
  for (const d of v.dims) {
    const dim = new Writer();
    if (typeof d === 'number') dim.int(1, d);
    else dim.str(2, d);
    shape.sub(1, dim.bytes);
  }
  const tensor = new Writer().int(1, v.elemType).sub(2, shape.bytes);
  const type = new Writer().sub(1, tensor.bytes);
  return new Writer().str(1, v.name).sub(2, type.bytes).bytes;
}

/** Encodes a graph of the given nodes as an ONNX model (default domain, the given opset). */
export function encodeModel(
  nodes: readonly NodeSpec[],
  inputs: readonly ValueSpec[],
  outputs: readonly ValueSpec[],
  opset = 13,
): Uint8Array {
  const graph = new Writer();
  nodes.forEach((n, i) => {
    const node = new Writer();
    for (const x of n.inputs) node.str(1, x);
    for (const y of n.outputs) node.str(2, y);
    node.str(3, `n${i}`).str(4, n.opType);
    graph.sub(1, node.bytes);
  });
  graph.str(2, 'sitegate');
  for (const v of inputs) graph.sub(11, valueInfo(v));
  for (const v of outputs) graph.sub(12, valueInfo(v));
  const opsetId = new Writer().str(1, '').int(2, opset);
  const model = new Writer().int(1, 8).str(2, 'sitegate-face').sub(8, opsetId.bytes).sub(7, graph.bytes);
  return Uint8Array.from(model.bytes);
}
