#!/usr/bin/env bash
# Demo: build tinyverify, make a small int8 model, inspect it and run a batch through the
# emulator (bit-exact with TFLite Micro's reference kernels).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTV_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)" --target tinyverify make_demo_model
out=build/demo
mkdir -p "$out"
build/examples/make_demo_model "$out"
build/tools/tinyverify inspect "$out/demo_mlp_int8.tflite"
build/tools/tinyverify run "$out/demo_mlp_int8.tflite" --input "$out/demo_inputs.npy" \
  --out-dir "$out/run" --dump-all
echo "outputs: $(ls "$out/run")"
