// npx tsx models/tools/tfjs2onnx/cli.ts --model DIR/model.json --out FILE.onnx [--nchw] [--outputs a,b] [--batch N]
// Converts a TFJS graph model (model.json + weight shards) to ONNX opset 13 and prints a summary.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { convertGraph } from './convert.js';
import { readGraphModel } from './tfjs-model.js';

const USAGE =
  'usage: tfjs2onnx --model DIR/model.json --out FILE.onnx [--nchw] [--outputs name1,name2] [--batch N]';

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      out: { type: 'string' },
      nchw: { type: 'boolean', default: false },
      outputs: { type: 'string' },
      batch: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.model || !values.out) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const { graph } = readGraphModel(values.model);
  const result = convertGraph(graph, {
    nchw: values.nchw,
    batch: values.batch ? Number(values.batch) : 1,
    outputs: values.outputs ? values.outputs.split(',') : undefined,
  });
  writeFileSync(values.out, result.onnx);
  const sha = createHash('sha256').update(result.onnx).digest('hex');
  console.log(
    JSON.stringify(
      {
        out: values.out,
        bytes: result.onnx.byteLength,
        sha256: sha,
        inputs: result.inputs,
        outputs: result.outputs,
        tfOps: result.tfOps,
        onnxOps: result.onnxOps,
      },
      null,
      2,
    ),
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`tfjs2onnx: ${(e as Error).message}`);
  process.exitCode = 1;
}
