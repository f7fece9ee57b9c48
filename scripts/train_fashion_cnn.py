#!/usr/bin/python3
"""Trains the small Fashion-MNIST CNN used by examples/fashion and exports it to ONNX.

Reproducible: fixed seeds, CPU only, two threads (the build machine is shared); a few minutes.
Data: Debian package `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist).

Preprocessing (must match every consumer of the ONNX model): uint8 pixel / 255.0 -> float32 in
[0, 1], NCHW layout [N, 1, 28, 28]; no mean/std normalisation. Output: class probabilities
(Softmax) for the 10 Fashion-MNIST classes.

    /usr/bin/python3 scripts/train_fashion_cnn.py [--out examples/fashion/fashion_cnn.onnx]
"""
import argparse
import gzip
import os
import random

import numpy as np
import torch
from torch import nn

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    images = read_idx(os.path.join(DATA_DIR, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 7 * 7, 64), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(64, 10))

    def forward(self, x):
        return torch.softmax(self.classifier(self.features(x)), dim=1)

    def logits(self, x):
        return self.classifier(self.features(x))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="examples/fashion/fashion_cnn.onnx")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    torch.manual_seed(0)
    random.seed(0)
    np.random.seed(0)
    torch.set_num_threads(2)

    x_train, y_train = load("train")
    x_test, y_test = load("t10k")
    model = FashionCnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.4)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        for start in range(0, len(order), 128):
            idx = order[start:start + 128]
            optimizer.zero_grad()
            loss = loss_fn(model.logits(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
            if start // 128 % 100 == 0:
                print(f"epoch {epoch + 1} batch {start // 128}: loss {loss.item():.4f}", flush=True)
        scheduler.step()
        model.eval()
        with torch.no_grad():
            pred = torch.cat([model.logits(x_test[i:i + 1000]).argmax(1)
                              for i in range(0, len(x_test), 1000)])
        print(f"epoch {epoch + 1}: loss {loss.item():.4f} test top-1 "
              f"{(pred == y_test).float().mean().item() * 100:.2f}%", flush=True)

    model.eval()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.onnx.export(model, x_test[:1], args.out, input_names=["image"],
                      output_names=["probabilities"], opset_version=13,
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}})
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
