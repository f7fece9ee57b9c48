#!/usr/bin/env bash
# Regenerates the compressed Fashion-MNIST examples from the committed float model.
#   scripts/make_examples.sh [path/to/tinyverify]
# Float model: scripts/train_fashion_cnn.py (run it first only to retrain).
# Calibration: the first 500 training images of Debian's dataset-fashion-mnist, scaled to 0..1
# exactly like the model's training input. Every step is deterministic.
set -euo pipefail
cd "$(dirname "$0")/.."
TV=${1:-build/tools/tinyverify}
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
DIR=examples/fashion
[[ -x "$TV" ]] || { echo "error: $TV not built (cmake --build build --target tinyverify)" >&2; exit 2; }
[[ -f "$DATA" ]] || { echo "error: $DATA missing (apt install dataset-fashion-mnist)" >&2; exit 2; }

compress() {  # compress OUT_SUFFIX [options...]
  local out=$DIR/fashion_cnn_int8$1.tflite
  shift
  echo "== $out $*"
  "$TV" compress --onnx $DIR/fashion_cnn.onnx --calib "$DATA" --calib-limit 500 \
    --preprocess scale=1/255 --out "$out" "$@"
}

compress ""                          # per-channel int8 (the default)
compress _per_tensor --per-tensor
compress _pruned50 --prune 0.5
compress _cluster16 --cluster 16
# The "harder" example: aggressive compression on the same net, so verify's per-class and
# edge-case sections have real damage to show.
compress _hard --per-tensor --prune 0.8 --cluster 4
