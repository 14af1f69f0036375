// A tiny WebAssembly binary writer: just enough of the format (types, one imported memory,
// functions, exports, code with locals) and of the instruction set (integer locals, loops,
// SIMD loads and integer dot products) for the gallery's scan kernel. No external compiler
// is needed at build or run time; see int8-dot.ts for the kernel written with it.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb of ${n}`);
  const out: number[] = [];
  let v = n;
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 for 32-bit values. */
export function sleb(n: number): number[] {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new RangeError(`sleb of ${n}`);
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function name(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Instruction emitter for one function body. Methods return `this` so code reads top-down. */
export class Code {
  readonly bytes: number[] = [];
  #op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  #simd(op: number, ...imm: number[]): this {
    return this.#op(0xfd, ...uleb(op), ...imm);
  }
  get(i: number): this { return this.#op(0x20, ...uleb(i)); }
  set(i: number): this { return this.#op(0x21, ...uleb(i)); }
  tee(i: number): this { return this.#op(0x22, ...uleb(i)); }
  i32(v: number): this { return this.#op(0x41, ...sleb(v)); }
  i32Add(): this { return this.#op(0x6a); }
  i32Sub(): this { return this.#op(0x6b); }
  i32Mul(): this { return this.#op(0x6c); }
  i32Eqz(): this { return this.#op(0x45); }
  i32Ne(): this { return this.#op(0x47); }
  i32LtU(): this { return this.#op(0x49); }
  /** i32.store with natural alignment (2^2) and a constant offset. */
  i32Store(offset = 0): this { return this.#op(0x36, 2, ...uleb(offset)); }
  /** f32.load / f32.store with natural alignment (2^2) and a constant offset. */
  f32Load(offset = 0): this { return this.#op(0x2a, 2, ...uleb(offset)); }
  f32Store(offset = 0): this { return this.#op(0x38, 2, ...uleb(offset)); }
  f32Add(): this { return this.#op(0x92); }
  f32Mul(): this { return this.#op(0x94); }
  f32ConvertI32S(): this { return this.#op(0xb2); }
  block(): this { return this.#op(0x02, 0x40); }
  loop(): this { return this.#op(0x03, 0x40); }
  br(depth: number): this { return this.#op(0x0c, ...uleb(depth)); }
  brIf(depth: number): this { return this.#op(0x0d, ...uleb(depth)); }
  end(): this { return this.#op(0x0b); }
  /** v128.load, alignment hint 2^4, constant offset. */
  v128Load(offset = 0): this { return this.#simd(0x00, 4, ...uleb(offset)); }
  /** v128.load8x8_s: 8 bytes sign-extended to i16x8 (one pmovsxbw on x64). */
  v128Load8x8S(offset = 0): this { return this.#simd(0x01, 3, ...uleb(offset)); }
  v128Store(offset = 0): this { return this.#simd(0x0b, 4, ...uleb(offset)); }
  v128Zero(): this { return this.#simd(0x0c, ...new Array<number>(16).fill(0)); }
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16) throw new RangeError('a shuffle takes 16 lanes');
    return this.#simd(0x0d, ...lanes);
  }
  i32x4ExtractLane(lane: number): this { return this.#simd(0x1b, lane); }
  i16x8ExtendLowI8x16S(): this { return this.#simd(0x87); }
  i16x8ExtendHighI8x16S(): this { return this.#simd(0x88); }
  i32x4Add(): this { return this.#simd(0xae); }
  i32x4DotI16x8S(): this { return this.#simd(0xba); }
}

export interface FuncDef {
  exportName: string;
  params: readonly ValType[];
  results: readonly ValType[];
  /** Extra locals after the parameters, in order. */
  locals: readonly ValType[];
  body: Code;
}

/** A module importing one memory as `env.memory` (shared or not) and exporting the functions. */
export function assembleModule(funcs: readonly FuncDef[], memory: { minPages: number; maxPages: number; shared?: boolean }): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const limits = [memory.shared ? 0x03 : 0x01, ...uleb(memory.minPages), ...uleb(memory.maxPages)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const functions = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]));
  const bodies = funcs.map((f) => {
    // Locals are run-length encoded by type.
    const groups: number[][] = [];
    let i = 0;
    while (i < f.locals.length) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      groups.push([...uleb(j - i), f.locals[i] as number]);
      i = j;
    }
    const body = [...vec(groups), ...f.body.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, functions),
    ...section(7, exports),
    ...section(10, vec(bodies)),
  ]);
}
