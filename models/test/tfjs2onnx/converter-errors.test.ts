// The converter refuses what it cannot convert with an error naming the op and the node, and
// the CLI writes a loadable ONNX file from a model.json + shard on disk.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { convertGraph } from '../../tools/tfjs2onnx/convert.js';
import { parseGraphModel } from '../../tools/tfjs2onnx/tfjs-model.js';
import { TfGraphBuilder, attr, convAttrs } from './tf-graph.js';

const run = promisify(execFile);

describe('tfjs2onnx refuses what it cannot convert', () => {
  it('an unsupported op fails with an error naming the op and the node', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4, 4, 2]);
    g.op('head/d2s', 'DepthToSpace', ['x'], { block_size: attr.i(2) });
    const { json, weightBytes } = g.build();
    expect(() => convertGraph(parseGraphModel(json, weightBytes))).toThrow(
      /unsupported TF op "DepthToSpace" at node "head\/d2s"/,
    );
  });

  it('a convolution whose filter is computed at run time is refused, naming the node', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4, 4, 2]);
    g.placeholder('w', [3, 3, 2, 2]);
    g.op('conv', 'Conv2D', ['x', 'w'], convAttrs({}));
    const { json, weightBytes } = g.build();
    expect(() => convertGraph(parseGraphModel(json, weightBytes))).toThrow(
      /"Conv2D" at node "conv": filter must be a constant/,
    );
  });

  it('an input with an unknown non-batch dimension is refused', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [-1, -1, 8, 3]);
    g.op('y', 'Relu', ['x']);
    const { json, weightBytes } = g.build();
    expect(() => convertGraph(parseGraphModel(json, weightBytes))).toThrow(/unknown dimension 1/);
  });

  it('truncated weight data is refused', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 2]);
    g.const('k', [2], [1, 2]);
    g.op('y', 'Mul', ['x', 'k']);
    const { json, weightBytes } = g.build();
    expect(() => parseGraphModel(json, weightBytes.slice(0, 4))).toThrow(/truncated/);
  });
});

describe('tfjs2onnx CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs2onnx-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts model.json + shard to an ONNX file that onnxruntime loads, --nchw declares NCHW input', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('image', [-1, 6, 6, 3]);
    g.const('w', [3, 3, 3, 2]);
    g.op('out', 'Conv2D', ['image', 'w'], convAttrs({ strides: 2 }));
    const { json, weightBytes } = g.build();
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'inline.bin'), weightBytes);
    const out = join(dir, 'm.onnx');
    const { stdout } = await run(
      'npx',
      ['tsx', 'models/tools/tfjs2onnx/cli.ts', '--model', join(dir, 'model.json'), '--out', out, '--nchw'],
      { cwd: process.cwd() },
    );
    const summary = JSON.parse(stdout) as { bytes: number; inputs: { shape: number[] }[] };
    expect(summary.bytes).toBe(readFileSync(out).byteLength);
    expect(summary.inputs[0]?.shape).toEqual([1, 3, 6, 6]);
    const session = await ort.InferenceSession.create(out);
    const res = await session.run({
      image: new ort.Tensor('float32', new Float32Array(108).fill(1), [1, 3, 6, 6]),
    });
    expect(res.out?.dims).toEqual([1, 3, 3, 2]);
    await session.release();
  });

  it('exits non-zero with the op and node in the message for an unsupported graph', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4]);
    g.op('weird', 'Cumsum', ['x', g.int('axis', [0], [])]);
    const { json, weightBytes } = g.build();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'inline.bin'), weightBytes);
    const err = await run('npx', [
      'tsx',
      'models/tools/tfjs2onnx/cli.ts',
      '--model',
      join(dir, 'bad.json'),
      '--out',
      join(dir, 'bad.onnx'),
    ]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/unsupported TF op "Cumsum" at node "weird"/);
  });
});
