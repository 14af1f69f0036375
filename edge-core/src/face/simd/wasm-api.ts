// WebAssembly is a JavaScript global of Node (V8) as much as of a browser, but TypeScript
// declares it only in its DOM library, which Node code does not load (one tsconfig per
// environment: tsconfig.json for Node, app/ui/tsconfig.json for the browser). The few members
// the scan kernel uses are typed here, on the runtime's own global.

/** A compiled module: opaque here, and transferable to a worker thread. */
export type WasmModule = object;

export interface WasmMemory {
  /** Typed as lib.dom types it (a shared memory's buffer is a SharedArrayBuffer at run time). */
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmGlobal {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

export const wasm: WasmGlobal = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
