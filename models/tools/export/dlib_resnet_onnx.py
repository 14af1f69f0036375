#!/usr/bin/python3
"""Rebuilds dlib's 128-d face descriptor network (ResNet, "dlib_face_recognition_resnet_model_v1",
weights released into the public domain by Davis King) as ONNX from the TFJS weight copy in
the npm package @vladmandic/face-api@1.7.15 (package/model/face_recognition_model-weights_manifest.json
+ face_recognition_model.bin; MIT). Build-time tool, not shipped.

Facts used (from the weight names/shapes and dlib's published network definition):
 - input 150x150 RGB; per-channel mean (122.782, 117.001, 104.298) subtracted, then / 255;
 - stem: 7x7 conv stride 2 without padding, per-channel affine ("scale" layer), ReLU, 3x3 max pool
   stride 2 without padding;
 - residual units: 3x3 conv (same padding) + affine + ReLU, 3x3 conv + affine, add input, ReLU;
 - down units: the first conv has stride 2 and no padding; the shortcut is a 2x2 average pool
   (stride 2, no padding) with the channels zero-extended; when the pooled map is one pixel
   larger than the conv path, the conv path gets one zero row and column at the bottom/right;
 - global mean over the 2x2 map, then a 256x128 fully connected layer (no bias).
Weights stored as uint8 in the shard are de-quantised as q * scale + min (tfjs' rule).

Output graph: input "input" [1,3,150,150] NCHW RGB raw 0..255 (normalisation inside the graph),
output "embedding" [1,128] (not normalised).

    /usr/bin/python3 models/tools/export/dlib_resnet_onnx.py PKG_DIR OUT.onnx
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

MEAN_RGB = (122.782, 117.001, 104.298)
STAGES = [
    ("conv32", ["conv32_1", "conv32_2", "conv32_3"]),
    ("conv64", ["conv64_down", "conv64_1", "conv64_2", "conv64_3"]),
    ("conv128", ["conv128_down", "conv128_1", "conv128_2"]),
    ("conv256", ["conv256_down", "conv256_1", "conv256_2", "conv256_down_out"]),
]


def read_weights(pkg):
    model_dir = os.path.join(pkg, "package", "model")
    with open(os.path.join(model_dir, "face_recognition_model-weights_manifest.json")) as f:
        manifest = json.load(f)
    tensors = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            q = spec.get("quantization")
            if q:
                dtype = {"uint8": np.uint8, "uint16": np.uint16}[q["dtype"]]
                raw = np.frombuffer(blob, dtype=dtype, count=count, offset=offset)
                offset += raw.nbytes
                values = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
            else:
                values = np.frombuffer(blob, dtype=np.float32, count=count, offset=offset).copy()
                offset += values.nbytes
            tensors[spec["name"]] = values.reshape(spec["shape"])
        if offset != len(blob):
            raise SystemExit(f"weight group size mismatch: read {offset} of {len(blob)} bytes")
    return tensors


class ConvAffine(nn.Module):
    """conv (TF HWIO filters + bias) then per-channel scale and shift; padding/stride given."""

    def __init__(self, t, prefix, stride, pad):
        super().__init__()
        w = torch.from_numpy(np.ascontiguousarray(t[prefix + "/conv/filters"].transpose(3, 2, 0, 1)))
        self.weight = nn.Parameter(w, requires_grad=False)
        self.bias = nn.Parameter(torch.from_numpy(t[prefix + "/conv/bias"]), requires_grad=False)
        self.mul = nn.Parameter(torch.from_numpy(t[prefix + "/scale/weights"]).view(1, -1, 1, 1), requires_grad=False)
        self.add = nn.Parameter(torch.from_numpy(t[prefix + "/scale/biases"]).view(1, -1, 1, 1), requires_grad=False)
        self.stride, self.pad = stride, pad

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.pad) * self.mul + self.add


class Unit(nn.Module):
    def __init__(self, t, name):
        super().__init__()
        self.down = name.endswith("_down") or name.endswith("_down_out")
        self.a = ConvAffine(t, name + "/conv1", 2 if self.down else 1, 0 if self.down else 1)
        self.b = ConvAffine(t, name + "/conv2", 1, 1)

    def forward(self, x):
        y = self.b(torch.relu(self.a(x)))
        if not self.down:
            return torch.relu(y + x)
        short = F.avg_pool2d(x, 2, 2)
        if short.shape[2] != y.shape[2]:
            y = F.pad(y, (0, short.shape[3] - y.shape[3], 0, short.shape[2] - y.shape[2]))
        if short.shape[1] != y.shape[1]:
            short = F.pad(short, (0, 0, 0, 0, 0, y.shape[1] - short.shape[1]))
        return torch.relu(y + short)


class DlibResNet(nn.Module):
    def __init__(self, t):
        super().__init__()
        self.stem = ConvAffine(t, "conv32_down", 2, 0)
        self.units = nn.Sequential(*[Unit(t, n) for _, names in STAGES for n in names])
        self.fc = nn.Parameter(torch.from_numpy(t["fc"]), requires_grad=False)
        self.mean = nn.Parameter(torch.tensor(MEAN_RGB).view(1, 3, 1, 1), requires_grad=False)

    def forward(self, x):
        x = (x - self.mean) / 255.0
        x = F.max_pool2d(torch.relu(self.stem(x)), 3, 2)
        x = self.units(x)
        return x.mean(dim=(2, 3)) @ self.fc


def main(pkg, out):
    t = read_weights(pkg)
    net = DlibResNet(t).eval()
    torch.onnx.export(net, torch.zeros(1, 3, 150, 150), out, input_names=["input"], output_names=["embedding"],
                      opset_version=11, do_constant_folding=True)
    print(f"{pkg} -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
