#!/usr/bin/env bash
# `tinyverify compress` edge: malformed ONNX / calibration data -> one-line error, exit 2;
# a good run writes a .tflite that `inspect` reads. Usage: compress_cli_test.sh TINYVERIFY
set -u
tv=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

expect() {  # expect CODE PATTERN -- command...
  local code=$1 pattern=$2
  shift 3
  "$@" >"$work/stdout.txt" 2>"$work/err"
  local rc=$?
  if [ "$rc" -eq "$code" ] && grep -qE -- "$pattern" "$work/err" "$work/stdout.txt"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $* -> exit $rc (want $code), stderr: $(head -c 400 "$work/err") (want /$pattern/)"
  fi
}

# A tiny float model (Gemm + Relu, input [1, 4]) and calibration data, written with numpy/onnx.
/usr/bin/python3 - "$work" <<'PY' || { echo "cannot make the test model"; exit 1; }
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
d = sys.argv[1]
w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(3, 4) / 10, "w")
g = helper.make_graph(
    [helper.make_node("Gemm", ["x", "w"], ["g"], transB=1), helper.make_node("Relu", ["g"], ["y"])],
    "t", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])], [w])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), d + "/m.onnx")
np.save(d + "/calib.npy", np.random.RandomState(0).rand(20, 4).astype(np.float32))
np.save(d + "/wrong.npy", np.zeros((20, 5), np.float32))
PY

expect 0 "wrote $work/out.tflite" -- "$tv" compress --onnx "$work/m.onnx" --calib "$work/calib.npy" --out "$work/out.tflite"
expect 0 "bits/weight" -- "$tv" inspect "$work/out.tflite"
printf 'garbage' >"$work/bad.onnx"
expect 2 "^error: $work/bad.onnx: " -- "$tv" compress --onnx "$work/bad.onnx" --calib "$work/calib.npy" --out "$work/o.tflite"
expect 2 "^error: .*missing.npy" -- "$tv" compress --onnx "$work/m.onnx" --calib "$work/missing.npy" --out "$work/o.tflite"
expect 2 "^error: " -- "$tv" compress --onnx "$work/m.onnx" --calib "$work/wrong.npy" --out "$work/o.tflite"
expect 2 "^error: .*--prune" -- "$tv" compress --onnx "$work/m.onnx" --calib "$work/calib.npy" --out "$work/o.tflite" --prune 1.5
expect 2 "^error: .*--activations" -- "$tv" compress --onnx "$work/m.onnx" --calib "$work/calib.npy" --out "$work/o.tflite" --activations kl

echo "compress CLI: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
