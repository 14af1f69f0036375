#!/usr/bin/python3
"""Exports the MiniFASNet anti-spoofing weights to ONNX (build-time tool, not shipped).

Input: the PyTorch state dicts of minivision-ai/Silent-Face-Anti-Spoofing
(resources/anti_spoof_models/*.pth, Apache-2.0). The network is rebuilt here from the state
dict itself: every stage's channel counts, kernel sizes and groups come from the tensors'
shapes, and which stages exist comes from the key names, so one builder serves MiniFASNetV2
and MiniFASNetV1SE. Strides are the only facts not in the tensors: the stem convolution and
the three transition blocks (conv_23, conv_34, conv_45) halve the resolution.

Output graph: input "input" [1,3,80,80], BGR, raw 0..255 (as the weights were trained);
output "logits" [1,3] (softmax outside; class 1 = real face).

    /usr/bin/python3 models/tools/export/minifasnet_onnx.py SRC.pth OUT.onnx
"""
import sys
from collections import OrderedDict

import torch
from torch import nn

DOWNSAMPLING = {"conv1", "conv_23", "conv_34", "conv_45"}


def strip_prefix(state):
    return OrderedDict((k[len("module."):] if k.startswith("module.") else k, v) for k, v in state.items())


class ConvUnit(nn.Module):
    """Convolution without bias, batch norm, optional PReLU; shapes from the state dict."""

    def __init__(self, state, prefix, stride, activation):
        super().__init__()
        w = state[prefix + ".conv.weight"]
        out_c, in_per_group, kh, kw = w.shape
        groups = out_c if in_per_group == 1 and kh > 1 else 1
        in_c = in_per_group * groups
        pad = 0 if prefix == "conv_6_dw" else (kh // 2, kw // 2)
        self.conv = nn.Conv2d(in_c, out_c, (kh, kw), stride, pad, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(out_c)
        self.prelu = nn.PReLU(out_c) if activation else None

    def forward(self, x):
        x = self.bn(self.conv(x))
        return self.prelu(x) if self.prelu is not None else x


class Squeeze(nn.Module):
    """Channel attention: global mean -> 1x1 conv, BN, ReLU -> 1x1 conv, BN, sigmoid -> scale."""

    def __init__(self, state, prefix):
        super().__init__()
        w1, w2 = state[prefix + ".fc1.weight"], state[prefix + ".fc2.weight"]
        self.fc1 = nn.Conv2d(w1.shape[1], w1.shape[0], 1, bias=False)
        self.bn1 = nn.BatchNorm2d(w1.shape[0])
        self.fc2 = nn.Conv2d(w2.shape[1], w2.shape[0], 1, bias=False)
        self.bn2 = nn.BatchNorm2d(w2.shape[0])

    def forward(self, x):
        s = x.mean(dim=(2, 3), keepdim=True)
        s = torch.relu(self.bn1(self.fc1(s)))
        return x * torch.sigmoid(self.bn2(self.fc2(s)))


class Bottleneck(nn.Module):
    """1x1 expand (PReLU) -> 3x3 depthwise (PReLU) -> 1x1 project (linear), optional SE, optional shortcut."""

    def __init__(self, state, prefix, stride, residual):
        super().__init__()
        self.conv = ConvUnit(state, prefix + ".conv", 1, True)
        self.conv_dw = ConvUnit(state, prefix + ".conv_dw", stride, True)
        self.project = ConvUnit(state, prefix + ".project", 1, False)
        self.se_module = Squeeze(state, prefix + ".se_module") if prefix + ".se_module.fc1.weight" in state else None
        self.residual = residual

    def forward(self, x):
        y = self.project(self.conv_dw(self.conv(x)))
        if self.se_module is not None:
            y = self.se_module(y)
        return x + y if self.residual else y


class Stage(nn.Module):
    def __init__(self, state, prefix):
        super().__init__()
        count = 1 + max(int(k.split(".")[2]) for k in state if k.startswith(prefix + ".model."))
        self.model = nn.Sequential(*[Bottleneck(state, f"{prefix}.model.{i}", 1, True) for i in range(count)])

    def forward(self, x):
        return self.model(x)


class AntiSpoofNet(nn.Module):
    def __init__(self, state):
        super().__init__()
        self.conv1 = ConvUnit(state, "conv1", 2, True)
        self.conv2_dw = ConvUnit(state, "conv2_dw", 1, True)
        self.conv_23 = Bottleneck(state, "conv_23", 2, False)
        self.conv_3 = Stage(state, "conv_3")
        self.conv_34 = Bottleneck(state, "conv_34", 2, False)
        self.conv_4 = Stage(state, "conv_4")
        self.conv_45 = Bottleneck(state, "conv_45", 2, False)
        self.conv_5 = Stage(state, "conv_5")
        self.conv_6_sep = ConvUnit(state, "conv_6_sep", 1, True)
        self.conv_6_dw = ConvUnit(state, "conv_6_dw", 1, False)
        lw, pw = state["linear.weight"], state["prob.weight"]
        self.linear = nn.Linear(lw.shape[1], lw.shape[0], bias=False)
        self.bn = nn.BatchNorm1d(lw.shape[0])
        self.prob = nn.Linear(pw.shape[1], pw.shape[0], bias=False)

    def forward(self, x):
        for stage in (self.conv1, self.conv2_dw, self.conv_23, self.conv_3, self.conv_34, self.conv_4,
                      self.conv_45, self.conv_5, self.conv_6_sep, self.conv_6_dw):
            x = stage(x)
        x = torch.flatten(x, 1)
        return self.prob(self.bn(self.linear(x)))


def main(src, out):
    state = strip_prefix(torch.load(src, map_location="cpu"))
    net = AntiSpoofNet(state)
    missing, unexpected = net.load_state_dict(state, strict=True), None
    del missing, unexpected
    net.eval()
    dummy = torch.zeros(1, 3, 80, 80)
    torch.onnx.export(net, dummy, out, input_names=["input"], output_names=["logits"], opset_version=11,
                      do_constant_folding=True)
    print(f"{src} -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
