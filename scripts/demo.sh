#!/usr/bin/env bash
# Demo: build tinyverify and verify the bundled Fashion-MNIST pair — the float ONNX reference
# against its int8 .tflite variants (per-channel, per-tensor, pruned 50%, clustered 16 and an
# aggressive "hard" one) — on the 10,000-image test set from Debian's dataset-fashion-mnist.
# Writes the report (HTML, Markdown, JSON, CSV, JUnit) and prints the summary.
#   bash scripts/demo.sh [report-dir]      (default build/demo-report)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTV_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)" --target tinyverify
report=${1:-build/demo-report}
ex=examples/fashion
data=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz

tv=build/tools/tinyverify
"$tv" inspect "$ex/fashion_cnn_int8.tflite" | head -n 12
echo "..."
# The gate is the one a pull-request check would use for the shipped model; the "hard"
# variant is there to show what real damage looks like, so the demo expects it to fail the
# gate (exit 1) and says so instead of stopping.
set +e
"$tv" verify --ref "$ex/fashion_cnn.onnx" \
  --tiny "$ex/fashion_cnn_int8.tflite" --tiny "$ex/fashion_cnn_int8_per_tensor.tflite" \
  --tiny "$ex/fashion_cnn_int8_pruned50.tflite" --tiny "$ex/fashion_cnn_int8_cluster16.tflite" \
  --tiny "$ex/fashion_cnn_int8_hard.tflite" \
  --data "$data" --preprocess scale=1/255 --class-names "$ex/class_names.txt" \
  --gate "top1_drop<=1.0,agreement>=0.97,high_conf_flips<=20" --report-dir "$report"
code=$?
set -e
case $code in
  0) echo "demo: all variants pass the gate" ;;
  1) echo "demo: gate failed for at least one variant (expected: the 'hard' variant)" ;;
  *) echo "demo: verify failed (exit $code)" >&2; exit "$code" ;;
esac
echo "report: $root/$report/report.html"
