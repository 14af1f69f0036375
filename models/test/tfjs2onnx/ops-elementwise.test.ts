// Per-op conversion tests, elementwise ops: TFJS (CPU backend) vs the ONNX conversion. Most
// run after a convolution, so the op executes on an NCHW-held tensor with NHWC broadcasting.
import { describe, expect, it } from 'vitest';
import { TfGraphBuilder, attr, compareGraph, convAttrs } from './tf-graph.js';

const TOL = 1e-4;

/** x [1,5,6,3] → 3x3 conv to 4 channels → (the op under test). */
function afterConv(): TfGraphBuilder {
  const g = new TfGraphBuilder();
  g.placeholder('x', [1, 5, 6, 3]);
  g.const('w', [3, 3, 3, 4]);
  g.op('c', 'Conv2D', ['x', 'w'], convAttrs({}));
  return g;
}

describe('tfjs2onnx unary ops on an NCHW-held tensor', () => {
  const cases: [string, Record<string, ReturnType<typeof attr.f>>?][] = [
    ['Relu'],
    ['Relu6'],
    ['Sigmoid'],
    ['Tanh'],
    ['Abs'],
    ['Square'],
    ['Exp'],
    ['Neg'],
    ['Elu'],
    ['LeakyRelu', { alpha: attr.f(0.3) }],
  ];
  for (const [op, attrs] of cases) {
    it(`${op} matches TFJS`, async () => {
      const g = afterConv();
      g.op('y', op, ['c'], attrs ?? {});
      const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y'], { lo: -3, hi: 3 });
      expect(c.worst).toBeLessThan(TOL * Math.max(1, c.scales.y ?? 1));
    });
  }

  for (const op of ['Sqrt', 'Rsqrt']) {
    it(`${op} on positive values matches TFJS`, async () => {
      const g = new TfGraphBuilder();
      g.placeholder('x', [2, 7]);
      g.op('y', op, ['x']);
      const c = await compareGraph(g, { x: [2, 7] }, ['y'], { lo: 0.1, hi: 4 });
      expect(c.worst).toBeLessThan(TOL);
    });
  }
});

describe('tfjs2onnx binary ops with NHWC broadcasting', () => {
  for (const op of ['Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum']) {
    it(`${op} with a per-channel constant [C] broadcasts along channels, matches TFJS`, async () => {
      const g = afterConv();
      g.const('k', [4], [0.5, 1.5, -2, 3]);
      g.op('y', op, ['c', 'k']);
      const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
      expect(c.worst).toBeLessThan(TOL * Math.max(1, c.scales.y ?? 1));
    });
  }

  it('Add of two runtime tensors (NCHW conv output + NHWC input), Sub with a scalar, match TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4, 4, 2]);
    g.const('w', [1, 1, 2, 2]);
    g.op('c', 'Conv2D', ['x', 'w'], convAttrs({ padding: 'VALID' }));
    g.op('a', 'AddV2', ['c', 'x']);
    g.const('s', [], [0.25]);
    g.op('y', 'Sub', ['s', 'a']);
    const c = await compareGraph(g, { x: [1, 4, 4, 2] }, ['y']);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Mul with a [1,1,C] constant and BiasAdd match TFJS', async () => {
    const g = afterConv();
    g.const('k', [1, 1, 4]);
    g.op('m', 'Mul', ['c', 'k']);
    g.const('b', [4]);
    g.op('y', 'BiasAdd', ['m', 'b'], { data_format: attr.s('NHWC') });
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('standalone Prelu with per-channel alpha matches TFJS', async () => {
    const g = afterConv();
    g.const('alpha', [4], [0.1, 0.2, 0.3, 0.4]);
    g.op('y', 'Prelu', ['c', 'alpha']);
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
    expect(c.result.onnxOps.PRelu).toBe(1);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('PReLU written as relu(x) + alpha*(x-|x|) (MobileFaceNet_TF style) matches TFJS', async () => {
    const g = afterConv();
    g.op('r', 'Relu', ['c']);
    g.op('abs', 'Abs', ['c']);
    g.op('sub', 'Sub', ['c', 'abs']);
    g.const('half_alpha', [4], [0.05, 0.1, 0.125, 0.2]);
    g.op('mul', 'Mul', ['sub', 'half_alpha']);
    g.op('y', 'Add', ['r', 'mul']);
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('L2 normalisation (Square → Sum keep_dims → Maximum → Rsqrt → Mul) matches TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 16]);
    g.op('sq', 'Square', ['x']);
    g.op('sum', 'Sum', ['sq', g.int('axis', [1])], { keep_dims: attr.b(true), Tidx: attr.type('DT_INT32') });
    g.op('mx', 'Maximum', ['sum', g.const('eps', [], [1e-10])]);
    g.op('rs', 'Rsqrt', ['mx']);
    g.op('y', 'Mul', ['x', 'rs']);
    const c = await compareGraph(g, { x: [1, 16] }, ['y']);
    expect(c.worst).toBeLessThan(1e-6);
  });
});
