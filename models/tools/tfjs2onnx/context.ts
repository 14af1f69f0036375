// Conversion state: every TF tensor becomes a `Value` with a static TF shape, an optional
// host-side constant, and one or more ONNX materialisations keyed by axis permutation.
// Layout-sensitive ops ask for NCHW; everything else follows its input's layout, so
// Transposes appear only where a TF-layout op (Reshape, StridedSlice, …) needs them.
import { OnnxGraphBuilder } from './onnx-builder.js';
import type { DType, HostTensor, TfAttr, TfNode } from './tfjs-model.js';
import { expandRank } from './host-ops.js';
import { identity, isIdentity, permKey, transposeBetween, transposeHost } from './layout.js';

export interface Value {
  /** TF tensor name, for messages. */
  tfName: string;
  shape: number[];
  dtype: DType;
  /** Known at conversion time (constants and everything folded from them). */
  host?: HostTensor;
  /** ONNX tensor name per permutation key. */
  forms: Map<string, string>;
  /** Permutation of the first materialisation; ops that do not care keep it. */
  home: number[];
}

export class UnsupportedOpError extends Error {
  constructor(
    readonly op: string,
    readonly node: string,
    detail = '',
  ) {
    super(`unsupported TF op "${op}" at node "${node}"${detail ? `: ${detail}` : ''}`);
    this.name = 'UnsupportedOpError';
  }
}

export class ConvertContext {
  readonly b = new OnnxGraphBuilder();
  readonly values = new Map<string, Value>();

  /** Registers a runtime value whose ONNX tensor `onnxName` holds the TF tensor permuted by `perm`. */
  runtime(
    tfName: string,
    shape: number[],
    onnxName: string,
    perm: readonly number[] = identity(shape.length),
    dtype: DType = 'float32',
  ): Value {
    return { tfName, shape, dtype, forms: new Map([[permKey(perm), onnxName]]), home: [...perm] };
  }

  hostValue(tfName: string, t: HostTensor): Value {
    return {
      tfName,
      shape: t.shape.slice(),
      dtype: t.dtype,
      host: t,
      forms: new Map(),
      home: identity(t.shape.length),
    };
  }

  input(node: TfNode, k: number): Value {
    const ref = node.inputs[k];
    if (ref === undefined) throw new Error(`node "${node.name}" (${node.op}) has no input ${k}`);
    const key = ref.endsWith(':0') ? ref.slice(0, -2) : ref;
    const v = this.values.get(key);
    if (!v)
      throw new Error(
        `node "${node.name}" (${node.op}): input "${ref}" is not defined (unsupported multi-output use or missing node)`,
      );
    return v;
  }

  /** The host value of input k, or a clear error when the graph computes it at run time. */
  hostInput(node: TfNode, k: number, what: string): HostTensor {
    const v = this.input(node, k);
    if (!v.host) throw new UnsupportedOpError(node.op, node.name, `${what} must be a constant`);
    return v.host;
  }

  ints(node: TfNode, k: number, what: string): number[] {
    return Array.from(this.hostInput(node, k, what).data);
  }

  /** ONNX tensor name holding `v` permuted by `perm` (adds a Transpose or an initializer once). */
  tensor(v: Value, perm: readonly number[] = identity(v.shape.length)): string {
    const key = permKey(perm);
    const have = v.forms.get(key);
    if (have) return have;
    let name: string;
    if (v.host) {
      name = this.b.addTensor(
        v.tfName + (isIdentity(perm) ? '' : `__p${perm.join('')}`),
        transposeHost(v.host, perm),
      );
    } else {
      const from = v.forms.get(permKey(v.home));
      if (!from) throw new Error(`value ${v.tfName} has no ONNX form`);
      [name] = this.b.addNode(
        'Transpose',
        [from],
        { perm: transposeBetween(v.home, perm) },
        `${v.tfName}__to${perm.join('')}`,
      ) as [string];
    }
    v.forms.set(key, name);
    return name;
  }

  /**
   * `v` as an operand of a broadcasting elementwise op whose output has `rank` axes held with
   * `perm`: lower-rank operands get leading size-1 axes first (numpy rules), then the perm.
   */
  operand(v: Value, rank: number, perm: readonly number[]): string {
    if (v.shape.length === rank) return this.tensor(v, perm);
    const key = `r${rank}:${permKey(perm)}`;
    const have = v.forms.get(key);
    if (have) return have;
    let name: string;
    if (v.host) {
      name = this.b.addTensor(`${v.tfName}__r${rank}`, transposeHost(expandRank(v.host, rank), perm));
    } else {
      const full = [...new Array<number>(rank - v.shape.length).fill(1), ...v.shape];
      const shapeName = this.b.addInt64(`${v.tfName}__r${rank}_shape`, full);
      const [reshaped] = this.b.addNode(
        'Reshape',
        [this.tensor(v), shapeName],
        {},
        `${v.tfName}__r${rank}`,
      ) as [string];
      const expanded = this.runtime(v.tfName, full, reshaped);
      name = this.tensor(expanded, perm);
    }
    v.forms.set(key, name);
    return name;
  }

  /** Emits a single-output ONNX node and returns its output name. */
  node(
    op: string,
    inputs: string[],
    attrs: Parameters<OnnxGraphBuilder['addNode']>[2] = {},
    hint = op,
  ): string {
    return (this.b.addNode(op, inputs, attrs, hint) as [string])[0];
  }
}

export function attrString(node: TfNode, key: string, fallback?: string): string {
  const a: TfAttr | undefined = node.attr[key];
  if (a?.s !== undefined) return a.s;
  if (fallback !== undefined) return fallback;
  throw new Error(`node "${node.name}" (${node.op}) lacks attribute ${key}`);
}

export function attrInts(node: TfNode, key: string, fallback?: number[]): number[] {
  const a = node.attr[key];
  if (a?.list?.i) return a.list.i;
  if (a?.list && fallback) return fallback;
  if (fallback) return fallback;
  throw new Error(`node "${node.name}" (${node.op}) lacks attribute ${key}`);
}

export function attrInt(node: TfNode, key: string, fallback: number): number {
  return node.attr[key]?.i ?? fallback;
}

export function attrFloat(node: TfNode, key: string, fallback: number): number {
  return node.attr[key]?.f ?? fallback;
}

export function attrBool(node: TfNode, key: string, fallback = false): boolean {
  return node.attr[key]?.b ?? fallback;
}
