#!/usr/bin/env bash
# The CLI on the shared MLPerf Tiny models with small synthetic data: every pair verifies (exit
# 0, sane numbers, reports identical for 1 and 2 threads), the hybrid KWS "float32" model runs as
# a reference, the AD autoencoder is a regression with ROC AUC, and truncated models/data give
# one `error: <file>:` line, exit 2.
# Usage: shared_models_sweep_test.sh TINYVERIFY SHARED_DIR   (exit 77 = skipped)
set -u
tv=$1
shared=${TV_SHARED_DIR:-$2}
m=$shared/models/mlperf-tiny
if [ ! -f "$m/ic/pretrainedResnet_quant.tflite" ] || ! /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  echo "skip: no shared MLPerf Tiny models or no numpy"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  echo "FAIL: $*"
}

/usr/bin/python3 - "$work" <<'PY' || exit 1
import sys, numpy as np
w = sys.argv[1]
rng = np.random.default_rng(1)  # fixed seed: the checks below are about structure, not luck
np.savez(f"{w}/ic.npz", x=rng.integers(0, 256, (12, 32, 32, 3)).astype(np.float32),
         y=rng.integers(0, 10, 12))
np.savez(f"{w}/vww.npz", x=rng.random((6, 96, 96, 3), dtype=np.float32), y=rng.integers(0, 2, 6))
x = rng.normal(-30, 3, (16, 640)).astype(np.float32)
y = np.arange(16) % 2
x[y == 1] += rng.normal(0, 8, (8, 640)).astype(np.float32)
np.savez(f"{w}/ad.npz", x=x, y=y)
np.savez(f"{w}/kws.npz", x=rng.uniform(-100, 20, (8, 49, 10, 1)).astype(np.float32),
         y=rng.integers(0, 12, 8))
PY

# verify REF TINY DATA NAME -> report in $work/NAME.t1 and .t2; checks exit 0 and identity.
verify() {
  local ref=$1 tiny=$2 data=$3 name=$4
  for t in 1 2; do
    if ! "$tv" verify --ref "$ref" --tiny "$tiny" --data "$data" --threads $t --no-progress \
      --report-dir "$work/$name.t$t" >"$work/$name.out" 2>"$work/$name.err"; then
      bad "$name: verify exit $? ($(grep -m1 '^error' "$work/$name.err"))"
      return
    fi
  done
  if /usr/bin/python3 - "$work/$name.t1/report.json" "$work/$name.t2/report.json" <<'PY'; then ok; else bad "$name: report differs between 1 and 2 threads"; fi
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("run", None)
sys.exit(0 if a == b else 1)
PY
}
# field NAME PYTHON-EXPR -> the expression over report r must hold
field() {
  /usr/bin/python3 - "$work/$1.t1/report.json" "$2" <<'PY' && ok || bad "$1: $2"
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

verify "$m/ic/pretrainedResnet.tflite" "$m/ic/pretrainedResnet_quant.tflite" "$work/ic.npz" ic
field ic "r['task'] == 'classification' and r['paired']['agreement'] >= 0.75"
verify "$m/ic/pretrainedResnet_quant.tflite" "$m/ic/pretrainedResnet_quant.tflite" "$work/ic.npz" self
field self "r['paired']['agreement'] == 1 and r['paired']['top1_drop_pp'] == 0"
verify "$m/vww/vww_96_float.tflite" "$m/vww/vww_96_int8.tflite" "$work/vww.npz" vww
field vww "r['num_classes'] == 2 and r['paired']['agreement'] >= 0.8"
verify "$m/ad/ad01_fp32.tflite" "$m/ad/ad01_int8.tflite" "$work/ad.npz" ad
field ad "r['task'] == 'regression' and r['regression']['cosine'] > 0.99"
field ad "r['regression']['ref_auc'] is not None and r['regression']['ref_auc'] > 0.9"
# The KWS "float32" model is hybrid (int8 conv weights): as a reference it runs dequantized.
verify "$m/kws/kws_ref_model_float32.tflite" "$m/kws/kws_ref_model.tflite" "$work/kws.npz" kws
field kws "r['num_classes'] == 12 and any('hybrid' in d for d in r['data']['decisions'])"

# Truncated model and data: one error line naming the file, exit 2.
expect_error() {
  local file=$1
  shift
  "$@" >/dev/null 2>"$work/err"
  local rc=$?
  if [ $rc -eq 2 ] && [ "$(grep -c . "$work/err")" -eq 1 ] && grep -q "^error: $file: " "$work/err"; then
    ok
  else
    bad "$* -> exit $rc: $(head -c 300 "$work/err")"
  fi
}
for cut in 16 4000 60000; do
  head -c $cut "$m/ic/pretrainedResnet_quant.tflite" >"$work/cut.tflite"
  expect_error "$work/cut.tflite" "$tv" inspect "$work/cut.tflite"
  expect_error "$work/cut.tflite" "$tv" verify --ref "$m/ic/pretrainedResnet.tflite" \
    --tiny "$work/cut.tflite" --data "$work/ic.npz" --report-dir ""
done
head -c 3000 "$work/ic.npz" >"$work/cut.npz"
expect_error "$work/cut.npz" "$tv" verify --ref "$m/ic/pretrainedResnet.tflite" \
  --tiny "$m/ic/pretrainedResnet_quant.tflite" --data "$work/cut.npz" --report-dir ""

# One output value (TFLM hello_world, a sine regressor): a regression, decided and recorded so.
hw=$shared/models/tflm-hello_world
if [ -f "$hw/hello_world_int8.tflite" ]; then
  /usr/bin/python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.linspace(0, 6, 12, dtype=np.float32)[:, None])" "$work/hw.npy"
  verify "$hw/hello_world_float.tflite" "$hw/hello_world_int8.tflite" "$work/hw.npy" hw
  field hw "r['task'] == 'regression' and 'ref output: raw values (regression)' in r['data']['decisions']"
fi

# A well-formed model TFLM cannot prepare (custom ops): inspect still shows it, then exit 2.
pre=$shared/models/tflm-micro_speech/audio_preprocessor_int8.tflite
if [ -f "$pre" ]; then
  "$tv" inspect "$pre" >"$work/inspect.out" 2>"$work/err"
  rc=$?
  if [ $rc -eq 2 ] && grep -q "^Operators (22)" "$work/inspect.out" &&
    [ "$(grep -c . "$work/err")" -eq 1 ] && grep -q "^error: $pre: .*custom operators" "$work/err"; then
    ok
  else
    bad "inspect $pre -> exit $rc: $(head -c 300 "$work/err")"
  fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
