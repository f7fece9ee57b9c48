#!/usr/bin/env bash
# CLI edge: bad input gives one line `error: <file>: <what>` on stderr and exit code 2.
# Usage: cli_errors_test.sh TINYVERIFY MAKE_DEMO_MODEL
set -u
tv=$1
make_demo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

# expect CODE PATTERN -- command...
expect() {
  local code=$1 pattern=$2
  shift 3
  "$@" >"$work/stdout.txt" 2>"$work/err"
  local rc=$?
  if [ "$rc" -eq "$code" ] && grep -qE -- "$pattern" "$work/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $* -> exit $rc (want $code), stderr: $(head -c 400 "$work/err") (want /$pattern/)"
  fi
}

"$make_demo" "$work" >/dev/null || { echo "cannot make demo model"; exit 1; }
model=$work/demo_mlp_int8.tflite
x=$work/demo_inputs.npy

expect 0 "wrote 1 output" -- "$tv" run "$model" --input "$x" --out-dir "$work/out"
[ -f "$work/out/output_0.npy" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: no output_0.npy"; }
expect 2 "^error: $work/missing.tflite: cannot open file" -- "$tv" inspect "$work/missing.tflite"
head -c 100 "$model" >"$work/trunc.tflite"
expect 2 "^error: $work/trunc.tflite: .*(corrupt|truncated)" -- "$tv" inspect "$work/trunc.tflite"
printf 'not a model at all' >"$work/junk.tflite"
expect 2 "^error: $work/junk.tflite: not a .tflite model" -- "$tv" run "$work/junk.tflite" --input "$x" --out-dir "$work/o2"
expect 2 "^error: $work/missing.npy: cannot open file" -- "$tv" run "$model" --input "$work/missing.npy" --out-dir "$work/o3"
printf '\x93NUMPY\x01\x00' >"$work/bad.npy"
expect 2 "^error: $work/bad.npy: " -- "$tv" run "$model" --input "$work/bad.npy" --out-dir "$work/o4"
# Wrong dtype: a float input file for an int8 model.
/usr/bin/python3 - "$work/f.npy" "$work/shape.npy" <<'PY' 2>/dev/null || printf 'skip-python\n' >"$work/nopy"
import sys, numpy as np
np.save(sys.argv[1], np.zeros((1, 4), np.float32))
np.save(sys.argv[2], np.zeros((1, 5), np.int8))
np.save(sys.argv[1].replace("f.npy", "n3.npy"), np.zeros((3, 4), np.int8))
PY
if [ ! -f "$work/nopy" ]; then
  expect 2 "expected dtype int8, got float32" -- "$tv" run "$model" --input "$work/f.npy" --out-dir "$work/o5"
  expect 2 "expected shape \[1, 4\]" -- "$tv" run "$model" --input "$work/shape.npy" --out-dir "$work/o6"
  # [N, 4] for a [1, 4] input: N samples (the leading 1 replaced by the batch).
  expect 0 "read as 3 samples" -- "$tv" run "$model" --input "$work/n3.npy" --out-dir "$work/o8"
fi
expect 2 "model has 1 input" -- "$tv" run "$model" --input "$x,$x" --out-dir "$work/o7"
expect 2 "^error: " -- "$tv" run "$model"
expect 2 "^error: " -- "$tv" frobnicate

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
