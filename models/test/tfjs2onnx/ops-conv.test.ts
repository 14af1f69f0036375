// Per-op conversion tests, convolution family: each builds a tiny TFJS graph, runs it with
// tfjs-converter on the CPU backend and its ONNX conversion with onnxruntime-node, and compares.
import { describe, expect, it } from 'vitest';
import { TfGraphBuilder, attr, compareGraph, convAttrs } from './tf-graph.js';

const TOL = 1e-4;

describe('tfjs2onnx Conv2D: TensorFlow SAME padding is asymmetric at stride 2', () => {
  for (const [size, k] of [
    [8, 3],
    [7, 3],
    [8, 2],
    [9, 4],
    [6, 5],
  ] as const) {
    it(`SAME stride 2, ${size}x${size} input, ${k}x${k} kernel matches TFJS`, async () => {
      const g = new TfGraphBuilder();
      g.placeholder('x', [1, size, size, 3]);
      g.const('w', [k, k, 3, 4]);
      g.op('y', 'Conv2D', ['x', 'w'], convAttrs({ strides: 2, padding: 'SAME' }));
      const c = await compareGraph(g, { x: [1, size, size, 3] }, ['y']);
      expect(c.result.outputs[0]?.shape).toEqual([1, Math.ceil(size / 2), Math.ceil(size / 2), 4]);
      expect(c.worst).toBeLessThan(TOL);
    });
  }

  it('SAME 3x3 stride 2 on 8x8 pads one pixel at the end only (a top-left tap shows the offset)', async () => {
    // total padding 1: TF puts it after the last row/column; a symmetric or "before" pad would
    // shift every sample of this single-tap kernel by one pixel.
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 8, 8, 1]);
    g.const('w', [3, 3, 1, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0]);
    g.op('y', 'Conv2D', ['x', 'w'], convAttrs({ strides: 2, padding: 'SAME' }));
    const c = await compareGraph(g, { x: [1, 8, 8, 1] }, ['y']);
    expect(c.worst).toBeLessThan(1e-6);
    expect(c.scales.y).toBeGreaterThan(0.1);
  });

  it('VALID stride 2 and SAME with dilation 2 match TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 11, 10, 2]);
    g.const('w1', [3, 3, 2, 3]);
    g.op('a', 'Conv2D', ['x', 'w1'], convAttrs({ strides: 2, padding: 'VALID' }));
    g.const('w2', [3, 3, 2, 3]);
    g.op('b', 'Conv2D', ['x', 'w2'], convAttrs({ strides: 1, padding: 'SAME', dilation: 2 }));
    const c = await compareGraph(g, { x: [1, 11, 10, 2] }, ['a', 'b']);
    expect(c.result.outputs.map((o) => o.shape)).toEqual([
      [1, 5, 4, 3],
      [1, 11, 10, 3],
    ]);
    expect(c.worst).toBeLessThan(TOL);
  });
});

describe('tfjs2onnx _FusedConv2D with fused_ops', () => {
  for (const act of ['Relu', 'Relu6', 'Sigmoid', 'Elu', 'LeakyRelu'] as const) {
    it(`BiasAdd + ${act} matches TFJS`, async () => {
      const g = new TfGraphBuilder();
      g.placeholder('x', [1, 9, 9, 3]);
      g.const('w', [3, 3, 3, 5], undefined, -2, 2);
      g.const('bias', [5], undefined, -1, 1);
      const attrs = convAttrs({ strides: 2, fused: ['BiasAdd', act], numArgs: 1 });
      if (act === 'LeakyRelu') attrs.leakyrelu_alpha = attr.f(0.15);
      g.op('y', '_FusedConv2D', ['x', 'w', 'bias'], attrs);
      const c = await compareGraph(g, { x: [1, 9, 9, 3] }, ['y']);
      expect(c.worst).toBeLessThan(TOL);
      if (act === 'Relu6') expect(c.scales.y).toBeLessThanOrEqual(6);
    });
  }

  it('BiasAdd + Prelu (per-channel alpha, 4 inputs) matches TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 8, 8, 3]);
    g.const('w', [3, 3, 3, 4]);
    g.const('bias', [4]);
    g.const('alpha', [4], [0.1, 0.25, 0.5, 2]);
    g.op(
      'y',
      '_FusedConv2D',
      ['x', 'w', 'bias', 'alpha'],
      convAttrs({ strides: 2, fused: ['BiasAdd', 'Prelu'], numArgs: 2 }),
    );
    const c = await compareGraph(g, { x: [1, 8, 8, 3] }, ['y']);
    expect(c.result.onnxOps.PRelu).toBe(1);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('BiasAdd only, 1x1 VALID, matches TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 5, 5, 8]);
    g.const('w', [1, 1, 8, 16]);
    g.const('bias', [16]);
    g.op(
      'y',
      '_FusedConv2D',
      ['x', 'w', 'bias'],
      convAttrs({ padding: 'VALID', fused: ['BiasAdd'], numArgs: 1 }),
    );
    const c = await compareGraph(g, { x: [1, 5, 5, 8] }, ['y']);
    expect(c.worst).toBeLessThan(TOL);
  });
});

describe('tfjs2onnx depthwise convolutions', () => {
  it('DepthwiseConv2dNative with channel multiplier 2, SAME stride 2 on an odd size, matches TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 9, 7, 3]);
    g.const('w', [3, 3, 3, 2]);
    g.op('y', 'DepthwiseConv2dNative', ['x', 'w'], convAttrs({ strides: 2 }));
    const c = await compareGraph(g, { x: [1, 9, 7, 3] }, ['y']);
    expect(c.result.outputs[0]?.shape).toEqual([1, 5, 4, 6]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('DepthwiseConv2dNative with multiplier 3, 5x5 kernel, SAME stride 1, matches TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 6, 6, 2]);
    g.const('w', [5, 5, 2, 3]);
    g.op('y', 'DepthwiseConv2dNative', ['x', 'w'], convAttrs({ strides: 1 }));
    const c = await compareGraph(g, { x: [1, 6, 6, 2] }, ['y']);
    expect(c.worst).toBeLessThan(TOL);
  });

  for (const act of ['Relu', 'Relu6', 'Prelu'] as const) {
    it(`FusedDepthwiseConv2dNative BiasAdd + ${act} matches TFJS`, async () => {
      const g = new TfGraphBuilder();
      g.placeholder('x', [1, 8, 8, 4]);
      g.const('w', [3, 3, 4, 1], undefined, -3, 3);
      g.const('bias', [4]);
      const inputs = ['x', 'w', 'bias'];
      if (act === 'Prelu') inputs.push(g.const('alpha', [4], [0.2, 0.3, 0.4, 0.5]));
      g.op(
        'y',
        'FusedDepthwiseConv2dNative',
        inputs,
        convAttrs({ strides: 2, fused: ['BiasAdd', act], numArgs: act === 'Prelu' ? 2 : 1 }),
      );
      const c = await compareGraph(g, { x: [1, 8, 8, 4] }, ['y']);
      expect(c.worst).toBeLessThan(TOL);
    });
  }
});

describe('tfjs2onnx layout: NHWC graph semantics, NCHW convolutions, Transposes only at the edges', () => {
  it('conv → relu → depthwise → add → conv chain has exactly one Transpose in and one out', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 8, 8, 3]);
    g.const('w1', [3, 3, 3, 4]);
    g.op('c1', 'Conv2D', ['x', 'w1'], convAttrs({ strides: 2 }));
    g.op('r1', 'Relu', ['c1']);
    g.const('dw', [3, 3, 4, 1]);
    g.op('d1', 'DepthwiseConv2dNative', ['r1', 'dw'], convAttrs({}));
    g.op('a1', 'AddV2', ['d1', 'r1']);
    g.const('w2', [1, 1, 4, 2]);
    g.op('c2', 'Conv2D', ['a1', 'w2'], convAttrs({ padding: 'VALID' }));
    const c = await compareGraph(g, { x: [1, 8, 8, 3] }, ['c2']);
    expect(c.result.onnxOps.Transpose).toBe(2);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('--nchw gives an NCHW input and no input Transpose; outputs match TFJS on the same image', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 7, 9, 3]);
    g.const('w', [3, 3, 3, 4]);
    g.const('bias', [4]);
    g.op(
      'c',
      '_FusedConv2D',
      ['x', 'w', 'bias'],
      convAttrs({ strides: 2, fused: ['BiasAdd', 'Relu'], numArgs: 1 }),
    );
    g.op('m', 'Mean', ['c', g.int('axes', [1, 2])], {
      keep_dims: attr.b(false),
      Tidx: attr.type('DT_INT32'),
    });
    const c = await compareGraph(g, { x: [1, 7, 9, 3] }, ['m'], { nchw: true });
    expect(c.result.inputs[0]?.shape).toEqual([1, 3, 7, 9]);
    expect(c.result.inputs[0]?.layout).toBe('NCHW');
    expect(c.result.onnxOps.Transpose ?? 0).toBe(0);
    expect(c.worst).toBeLessThan(TOL);
  });
});

describe('tfjs2onnx FusedBatchNorm and pooling', () => {
  for (const eps of [1e-3, 0.5]) {
    it(`FusedBatchNormV3 with epsilon ${eps} matches TFJS (epsilon is not dropped)`, async () => {
      const g = new TfGraphBuilder();
      g.placeholder('x', [1, 4, 4, 3]);
      const ins = [
        'x',
        g.const('scale', [3], [1, 2, 0.5]),
        g.const('offset', [3], [0.1, -0.2, 0.3]),
        g.const('mean', [3], [0.05, -0.1, 0]),
        g.const('var', [3], [0.01, 0.2, 1.5]),
      ];
      g.op('y', 'FusedBatchNormV3', ins, {
        epsilon: attr.f(eps),
        data_format: attr.s('NHWC'),
        is_training: attr.b(false),
        U: attr.type('DT_FLOAT'),
      });
      const c = await compareGraph(g, { x: [1, 4, 4, 3] }, ['y']);
      expect(c.worst).toBeLessThan(TOL);
    });
  }

  for (const [op, padding, size] of [
    ['MaxPool', 'SAME', 7],
    ['MaxPool', 'SAME', 8],
    ['MaxPool', 'VALID', 7],
    ['AvgPool', 'SAME', 7],
    ['AvgPool', 'VALID', 8],
  ] as const) {
    it(`${op} ${padding} 3x3 stride 2 on ${size}x${size} matches TFJS (padding never counted)`, async () => {
      const g = new TfGraphBuilder();
      g.placeholder('x', [1, size, size, 2]);
      g.op('y', op, ['x'], convAttrs({ ksize: 3, strides: 2, padding }));
      // All-negative inputs: a max pool that took a padded zero would be visibly wrong.
      const c = await compareGraph(g, { x: [1, size, size, 2] }, ['y'], { lo: -2, hi: -1 });
      expect(c.worst).toBeLessThan(TOL);
    });
  }
});
