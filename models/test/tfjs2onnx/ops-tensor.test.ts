// Per-op conversion tests, shape/data-movement ops, MatMul, Softmax, Resize: TFJS (CPU backend)
// vs the ONNX conversion. Inputs that follow a convolution are held NCHW inside the ONNX graph,
// so these also check the axis bookkeeping of the layout pass.
import { describe, expect, it } from 'vitest';
import { TfGraphBuilder, attr, compareGraph, convAttrs } from './tf-graph.js';

const TOL = 1e-4;
const I32 = { Tidx: attr.type('DT_INT32') };

function afterConv(h = 5, w = 6): TfGraphBuilder {
  const g = new TfGraphBuilder();
  g.placeholder('x', [1, h, w, 3]);
  g.const('w', [3, 3, 3, 4]);
  g.op('c', 'Conv2D', ['x', 'w'], convAttrs({}));
  return g;
}

describe('tfjs2onnx padding ops on an NCHW-held tensor', () => {
  it('Pad of spatial axes and of the channel axis (BlazeFace residual style) matches TFJS', async () => {
    const g = afterConv();
    g.op('p1', 'Pad', ['c', g.int('pads1', [0, 0, 1, 2, 0, 1, 0, 0], [4, 2])], {
      Tpaddings: attr.type('DT_INT32'),
    });
    g.op('p2', 'Pad', ['c', g.int('pads2', [0, 0, 0, 0, 0, 0, 0, 4], [4, 2])], {
      Tpaddings: attr.type('DT_INT32'),
    });
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['p1', 'p2']);
    expect(c.result.outputs.map((o) => o.shape)).toEqual([
      [1, 8, 7, 4],
      [1, 5, 6, 8],
    ]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('PadV2 with a constant value and MirrorPad REFLECT match TFJS', async () => {
    const g = afterConv();
    g.op('p1', 'PadV2', ['c', g.int('pads1', [0, 0, 2, 1, 1, 2, 0, 0], [4, 2]), g.const('v', [], [-7])], {
      Tpaddings: attr.type('DT_INT32'),
    });
    g.op('p2', 'MirrorPad', ['c', g.int('pads2', [0, 0, 1, 2, 2, 1, 0, 0], [4, 2])], {
      mode: attr.s('REFLECT'),
      Tpaddings: attr.type('DT_INT32'),
    });
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['p1', 'p2']);
    expect(c.worst).toBeLessThan(TOL);
  });
});

describe('tfjs2onnx shape ops', () => {
  it('Reshape after a conv (TF element order, needs the NHWC view) matches TFJS', async () => {
    const g = afterConv();
    g.op('y', 'Reshape', ['c', g.int('shape', [1, -1, 2])]);
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
    expect(c.result.outputs[0]?.shape).toEqual([1, 60, 2]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('ConcatV2 of two conv outputs on axis 3 and on axis -1 of reshaped heads matches TFJS', async () => {
    const g = afterConv();
    g.const('w2', [1, 1, 3, 2]);
    g.op('c2', 'Conv2D', ['x', 'w2'], convAttrs({}));
    g.op('cat', 'ConcatV2', ['c', 'c2', g.int('axis', [3], [])], { N: attr.i(2), ...I32 });
    g.op('r1', 'Reshape', ['c', g.int('s1', [1, -1, 4])]);
    g.op('r2', 'Reshape', ['c2', g.int('s2', [1, -1, 2])]);
    g.op('cat2', 'ConcatV2', ['r1', 'r2', g.int('axis2', [-1], [])], { N: attr.i(2), ...I32 });
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['cat', 'cat2']);
    expect(c.result.outputs.map((o) => o.shape)).toEqual([
      [1, 5, 6, 6],
      [1, 30, 6],
    ]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Shape → StridedSlice → Pack → Reshape (dynamic batch idiom) folds to a constant shape, matches TFJS', async () => {
    const g = afterConv();
    g.op('shape', 'Shape', ['c'], { out_type: attr.type('DT_INT32') });
    g.op('batch', 'StridedSlice', ['shape', g.int('b0', [0]), g.int('e0', [1]), g.int('s0', [1])], {
      shrink_axis_mask: attr.i(1),
      begin_mask: attr.i(0),
      end_mask: attr.i(0),
      ellipsis_mask: attr.i(0),
      new_axis_mask: attr.i(0),
      Index: attr.type('DT_INT32'),
    });
    g.op('target', 'Pack', ['batch', g.int('m1', [-1], []), g.int('two', [2], [])], {
      N: attr.i(3),
      axis: attr.i(0),
    });
    g.op('y', 'Reshape', ['c', 'target']);
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
    expect(c.result.onnxOps.Shape ?? 0).toBe(0);
    expect(c.result.onnxOps.Slice ?? 0).toBe(0);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('StridedSlice of a runtime tensor with masks, a shrink axis and a negative stride matches TFJS', async () => {
    const g = afterConv(7, 8);
    g.op(
      's1',
      'StridedSlice',
      ['c', g.int('b1', [0, 1, 0, 1]), g.int('e1', [0, 6, 0, 3]), g.int('st1', [1, 2, 1, 1])],
      {
        begin_mask: attr.i(0b0101),
        end_mask: attr.i(0b0101),
        ellipsis_mask: attr.i(0),
        new_axis_mask: attr.i(0),
        shrink_axis_mask: attr.i(0),
        Index: attr.type('DT_INT32'),
      },
    );
    g.op(
      's2',
      'StridedSlice',
      ['c', g.int('b2', [0, 1, 0, 2]), g.int('e2', [1, 5, 0, 3]), g.int('st2', [1, 1, 1, 1])],
      {
        begin_mask: attr.i(0b0100),
        end_mask: attr.i(0b0100),
        ellipsis_mask: attr.i(0),
        new_axis_mask: attr.i(0),
        shrink_axis_mask: attr.i(0b1001),
        Index: attr.type('DT_INT32'),
      },
    );
    g.op(
      's3',
      'StridedSlice',
      ['c', g.int('b3', [0, 6, 0, 0]), g.int('e3', [0, 0, 0, 0]), g.int('st3', [1, -2, 1, 1])],
      {
        begin_mask: attr.i(0b1101),
        end_mask: attr.i(0b1101),
        ellipsis_mask: attr.i(0),
        new_axis_mask: attr.i(0),
        shrink_axis_mask: attr.i(0),
        Index: attr.type('DT_INT32'),
      },
    );
    const c = await compareGraph(g, { x: [1, 7, 8, 3] }, ['s1', 's2', 's3']);
    expect(c.result.outputs.map((o) => o.shape)).toEqual([
      [1, 3, 8, 2],
      [4, 8],
      [1, 3, 8, 4],
    ]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Squeeze of a 1x1 conv map, Mean keep_dims=false (global average pool) and Sum keep_dims=true match TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 3, 3, 2]);
    g.const('w', [3, 3, 2, 5]);
    g.op('c', 'Conv2D', ['x', 'w'], convAttrs({ padding: 'VALID' }));
    g.op('sq', 'Squeeze', ['c'], { squeeze_dims: attr.ints([1, 2]) });
    g.const('w2', [3, 3, 2, 4]);
    g.op('c2', 'Conv2D', ['x', 'w2'], convAttrs({}));
    g.op('mean', 'Mean', ['c2', g.int('ax', [1, 2])], { keep_dims: attr.b(false), ...I32 });
    g.op('sum', 'Sum', ['c2', g.int('ax2', [-1])], { keep_dims: attr.b(true), ...I32 });
    const c = await compareGraph(g, { x: [1, 3, 3, 2] }, ['sq', 'mean', 'sum']);
    expect(c.result.outputs.map((o) => o.shape)).toEqual([
      [1, 5],
      [1, 4],
      [1, 3, 3, 1],
    ]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Pack of runtime tensors, ExpandDims and Transpose match TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('a', [2, 3]);
    g.placeholder('b', [2, 3]);
    g.op('p', 'Pack', ['a', 'b'], { N: attr.i(2), axis: attr.i(1) });
    g.op('e', 'ExpandDims', ['a', g.int('dim', [-1], [])], { Tdim: attr.type('DT_INT32') });
    g.op('t', 'Transpose', ['p', g.int('perm', [2, 0, 1])], { Tperm: attr.type('DT_INT32') });
    const c = await compareGraph(g, { a: [2, 3], b: [2, 3] }, ['p', 'e', 't']);
    expect(c.result.outputs.map((o) => o.shape)).toEqual([
      [2, 2, 3],
      [2, 3, 1],
      [3, 2, 2],
    ]);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Transpose of an NCHW-held conv output to NCHW costs no Transpose node, matches TFJS', async () => {
    const g = afterConv();
    g.op('t', 'Transpose', ['c', g.int('perm', [0, 3, 1, 2])], { Tperm: attr.type('DT_INT32') });
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['t']);
    expect(c.result.onnxOps.Transpose).toBe(1); // only the input NHWC→NCHW
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Identity chains are aliases; the output keeps the TF node name', async () => {
    const g = afterConv();
    g.op('i1', 'Identity', ['c']);
    g.op('out', 'Identity', ['i1']);
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['out']);
    expect(c.result.outputs[0]?.name).toBe('out');
    expect(c.worst).toBeLessThan(TOL);
  });
});

describe('tfjs2onnx MatMul, Softmax, Resize, quantised weights', () => {
  it('MatMul, MatMul transpose_b, _FusedMatMul BiasAdd+Relu match TFJS', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [2, 6]);
    g.op('m1', 'MatMul', ['x', g.const('w1', [6, 4])], {
      transpose_a: attr.b(false),
      transpose_b: attr.b(false),
    });
    g.op('m2', 'MatMul', ['x', g.const('w2', [5, 6])], {
      transpose_a: attr.b(false),
      transpose_b: attr.b(true),
    });
    g.op('m3', '_FusedMatMul', ['x', g.const('w3', [6, 3]), g.const('b3', [3])], {
      transpose_a: attr.b(false),
      transpose_b: attr.b(false),
      fused_ops: attr.ss(['BiasAdd', 'Relu']),
      num_args: attr.i(1),
      epsilon: attr.f(0),
    });
    const c = await compareGraph(g, { x: [2, 6] }, ['m1', 'm2', 'm3']);
    expect(c.worst).toBeLessThan(TOL);
  });

  it('Softmax on a 2-D tensor and on the channel axis of an NCHW-held conv output match TFJS', async () => {
    const g = afterConv();
    g.op('s4', 'Softmax', ['c']);
    g.op('r', 'Reshape', ['c', g.int('shape', [-1, 4])]);
    g.op('s2', 'Softmax', ['r']);
    const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['s4', 's2']);
    expect(c.worst).toBeLessThan(1e-6);
  });

  for (const [op, align, half] of [
    ['ResizeBilinear', false, false],
    ['ResizeBilinear', true, false],
    ['ResizeBilinear', false, true],
    ['ResizeNearestNeighbor', false, false],
    ['ResizeNearestNeighbor', true, false],
    ['ResizeNearestNeighbor', false, true],
  ] as const) {
    it(`${op} align_corners=${align} half_pixel_centers=${half}, 5x6 → 9x4, matches TFJS`, async () => {
      const g = afterConv();
      g.op('y', op, ['c', g.int('size', [9, 4])], {
        align_corners: attr.b(align),
        half_pixel_centers: attr.b(half),
      });
      const c = await compareGraph(g, { x: [1, 5, 6, 3] }, ['y']);
      expect(c.result.outputs[0]?.shape).toEqual([1, 9, 4, 4]);
      expect(c.worst).toBeLessThan(TOL);
    });
  }

  it('uint8-quantised weights are de-quantised like tfjs (scale, min)', async () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4, 4, 2]);
    g.quantised('w', [0, 17, 255, 128, 3, 90, 200, 45], [1, 1, 2, 4], 0.01, -1.2);
    g.op('y', 'Conv2D', ['x', 'w'], convAttrs({}));
    const c = await compareGraph(g, { x: [1, 4, 4, 2] }, ['y']);
    expect(c.worst).toBeLessThan(TOL);
    expect(c.scales.y).toBeGreaterThan(0.1);
  });
});
