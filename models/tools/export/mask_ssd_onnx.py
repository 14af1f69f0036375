#!/usr/bin/python3
"""Exports AIZOOTech's face-mask detector (models/face_mask_detection.pth of
AIZOOTech/FaceMaskDetection, MIT) to ONNX. Build-time tool, not shipped.

The .pth is a whole pickled module (an MMdnn conversion from Keras) whose class cannot be
imported here; it is loaded with a stand-in class so that only its layers (ordinary torch
Conv2d/BatchNorm2d modules and their weights) are read. The forward pass is written here from
the network's published Keras topology (models/face_mask_detection.json of the same repository):
 - input 260x260 RGB scaled to 0..1; eight 3x3 convolutions (no bias) each with batch norm and
   ReLU, "same" padding except conv2d_7 ("valid"); 2x2 max pools with stride 2 ("same": an odd
   map keeps its last row/column) after conv2d_0..5;
 - five heads on conv2d_3..7 (33, 17, 9, 5, 3 cells): per head a 3x3 conv + BN + ReLU then a
   3x3 conv with bias, for classes (4 anchors x 2, sigmoid) and boxes (4 anchors x 4);
 - outputs in Keras' NHWC order: "cls" [1, N, 2] (Mask, NoMask) and "loc" [1, N, 4] (N = 5972 at 260).

    /usr/bin/python3 models/tools/export/mask_ssd_onnx.py face_mask_detection.pth OUT.onnx [SIZE]

SIZE (default 260, the training size) sets the input; the network is fully convolutional. The
engine runs it at 160 on a head crop (maps 20, 10, 5, 3, 1: 535 cells x 4 anchors) instead of
the whole frame at 260, a third of the cost.
"""
import sys
import types

import torch
from torch import nn
import torch.nn.functional as F


def load_layers(path):
    class StandIn(nn.Module):
        def __init__(self, *args, **kwargs):
            super().__init__()

    fake = types.ModuleType("MainModel")
    fake.__getattr__ = lambda name: type(name, (StandIn,), {})
    sys.modules["MainModel"] = fake
    return dict(torch.load(path, map_location="cpu").named_modules())


class MaskSSD(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.l = nn.ModuleDict({k: v for k, v in layers.items() if k})

    def cbr(self, name, x, pad=1):
        conv, bn = self.l[name], self.l[name + "_bn"]
        return torch.relu(bn(F.conv2d(x, conv.weight, None, 1, pad)))

    def head(self, kind, i, x, per):
        y = self.cbr(f"{kind}_{i}_insert_conv2d", x)
        conv = self.l[f"{kind}_{i}_conv"]
        y = F.conv2d(y, conv.weight, conv.bias, 1, 1)
        return y.permute(0, 2, 3, 1).reshape(1, -1, per)

    def forward(self, x):
        feats = []
        for i in range(7):
            x = self.cbr(f"conv2d_{i}", x)
            if i >= 3:
                feats.append(x)
            if i <= 5:
                x = F.max_pool2d(x, 2, 2, ceil_mode=True)
        feats.append(self.cbr("conv2d_7", x, pad=0))
        cls = torch.cat([torch.sigmoid(self.head("cls", i, f, 2)) for i, f in enumerate(feats)], 1)
        loc = torch.cat([self.head("loc", i, f, 4) for i, f in enumerate(feats)], 1)
        return cls, loc


def main(src, out, size=260):
    net = MaskSSD(load_layers(src)).eval()
    torch.onnx.export(net, torch.zeros(1, 3, size, size), out, input_names=["input"], output_names=["cls", "loc"],
                      opset_version=11, do_constant_folding=True)
    print(f"{src} -> {out}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 260)
