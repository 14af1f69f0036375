// Reads a TFJS graph model (model.json + weight shards) into plain values: the TF GraphDef
// nodes with decoded attributes, and every weight as a typed array with its shape.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type DType = 'float32' | 'int32' | 'bool';

/** A host-side tensor: row-major data with its TF shape. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A TF attribute value as found in model.json, already base64-decoded where it is a string. */
export interface TfAttr {
  s?: string;
  i?: number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: number[];
  list?: { s?: string[]; i?: number[]; f?: number[] };
}

export interface TfNode {
  name: string;
  op: string;
  /** Input tensor names, `node` or `node:k`; control inputs (`^node`) removed. */
  inputs: string[];
  attr: Record<string, TfAttr>;
}

export interface TfGraph {
  nodes: TfNode[];
  weights: Map<string, HostTensor>;
  /** Signature output names (`Identity_2:0`) keyed by signature key, when the model has one. */
  signatureOutputs: Record<string, string>;
  signatureInputs: Record<string, string>;
  meta: { generatedBy?: string; convertedBy?: string };
}

/** Weight manifest entry of model.json (subset we read). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** The JSON shapes of a TFJS graph model we read. Loose on purpose: model.json is external input. */
export interface RawGraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, RawAttr>;
}
interface RawAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
  list?: { s?: string[]; i?: (string | number)[]; f?: number[] };
  tensor?: unknown;
}
interface RawSignatureEntry {
  name?: string;
}
export interface RawModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: {
    node: RawGraphNode[];
    versions?: Record<string, unknown>;
    library?: Record<string, unknown>;
  };
  weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
  signature?: { inputs?: Record<string, RawSignatureEntry>; outputs?: Record<string, RawSignatureEntry> };
  userDefinedMetadata?: {
    signature?: { inputs?: Record<string, RawSignatureEntry>; outputs?: Record<string, RawSignatureEntry> };
  };
}

const b64 = (s: string): string => Buffer.from(s, 'base64').toString('latin1');

function decodeAttr(raw: RawAttr): TfAttr {
  const out: TfAttr = {};
  if (raw.s !== undefined) out.s = b64(raw.s);
  if (raw.i !== undefined) out.i = Number(raw.i);
  if (raw.f !== undefined) out.f = Number(raw.f);
  if (raw.b !== undefined) out.b = Boolean(raw.b);
  if (raw.type !== undefined) out.type = raw.type;
  if (raw.shape !== undefined) out.shape = (raw.shape.dim ?? []).map((d) => Number(d.size ?? -1));
  if (raw.list !== undefined) {
    out.list = {};
    if (raw.list.s) out.list.s = raw.list.s.map(b64);
    if (raw.list.i) out.list.i = raw.list.i.map(Number);
    if (raw.list.f) out.list.f = raw.list.f.map(Number);
  }
  return out;
}

function float16ToFloat32(h: number): number {
  const s = (h & 0x8000) >> 15;
  const e = (h & 0x7c00) >> 10;
  const f = h & 0x03ff;
  const sign = s ? -1 : 1;
  if (e === 0) return sign * 2 ** -14 * (f / 1024);
  if (e === 0x1f) return f ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (e - 15) * (1 + f / 1024);
}

/** Splits concatenated weight bytes into tensors, de-quantising uint8/uint16/float16 weights. */
export function decodeWeights(specs: WeightSpec[], bytes: Uint8Array): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    const dtype: DType = spec.dtype === 'int32' ? 'int32' : spec.dtype === 'bool' ? 'bool' : 'float32';
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32' && spec.dtype !== 'bool') {
      throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
    }
    let data: Float32Array | Int32Array;
    if (q) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
      const f = new Float32Array(size);
      if (q.dtype === 'uint8' || q.dtype === 'uint16') {
        const width = q.dtype === 'uint8' ? 1 : 2;
        const scale = q.scale ?? 1;
        const min = q.min ?? 0;
        for (let k = 0; k < size; k++)
          f[k] = (width === 1 ? view.getUint8(k) : view.getUint16(k * 2, true)) * scale + min;
        offset += size * width;
      } else if (q.dtype === 'float16') {
        for (let k = 0; k < size; k++) f[k] = float16ToFloat32(view.getUint16(k * 2, true));
        offset += size * 2;
      } else {
        throw new Error(`weight ${spec.name}: unsupported quantisation ${q.dtype}`);
      }
      data = dtype === 'float32' ? f : Int32Array.from(f, Math.round);
    } else {
      const byteLen = size * (dtype === 'bool' ? 1 : 4);
      const slice = bytes.slice(offset, offset + byteLen);
      if (slice.byteLength !== byteLen) throw new Error(`weight ${spec.name}: weight data is truncated`);
      data =
        dtype === 'float32'
          ? new Float32Array(slice.buffer)
          : dtype === 'int32'
            ? new Int32Array(slice.buffer)
            : Int32Array.from(slice);
      offset += byteLen;
    }
    out.set(spec.name, { dtype, shape: spec.shape.slice(), data });
  }
  if (offset !== bytes.byteLength)
    throw new Error(`weight data has ${bytes.byteLength - offset} unexpected trailing bytes`);
  return out;
}

function stripPort(name: string): string {
  return name.endsWith(':0') ? name.slice(0, -2) : name;
}

/** Builds a TfGraph from the parsed model.json and its concatenated weight bytes. */
export function parseGraphModel(json: RawModelJson, weightBytes: Uint8Array): TfGraph {
  if (!json.modelTopology || !Array.isArray(json.modelTopology.node)) {
    throw new Error(
      'model.json has no modelTopology.node: not a TFJS graph model (layers models are not supported)',
    );
  }
  const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  const weights = decodeWeights(specs, weightBytes);
  const nodes: TfNode[] = json.modelTopology.node.map((n) => ({
    name: n.name,
    op: n.op,
    inputs: (n.input ?? []).filter((i) => !i.startsWith('^')),
    attr: Object.fromEntries(Object.entries(n.attr ?? {}).map(([k, v]) => [k, decodeAttr(v)])),
  }));
  const sig = json.signature ?? json.userDefinedMetadata?.signature ?? {};
  const pick = (m: Record<string, RawSignatureEntry> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, stripPort(v.name ?? k)]));
  return {
    nodes,
    weights,
    signatureOutputs: pick(sig.outputs),
    signatureInputs: pick(sig.inputs),
    meta: { generatedBy: json.generatedBy, convertedBy: json.convertedBy },
  };
}

/** Reads model.json and the shards it names from disk. */
export function readGraphModel(modelJsonPath: string): {
  graph: TfGraph;
  json: RawModelJson;
  weightBytes: Uint8Array;
} {
  const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as RawModelJson;
  const dir = dirname(modelJsonPath);
  const parts = (json.weightsManifest ?? []).flatMap((g) => g.paths).map((p) => readFileSync(join(dir, p)));
  const weightBytes = new Uint8Array(Buffer.concat(parts));
  return { graph: parseGraphModel(json, weightBytes), json, weightBytes };
}
