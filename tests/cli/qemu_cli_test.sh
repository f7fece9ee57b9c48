#!/usr/bin/env bash
# `tinyverify run --target cortex-m4`: same bytes as the host, device.json with instruction
# counts, and budget overruns and QEMU timeouts exit 2 with one clear line. Exit 77 = skipped (no QEMU/firmware).
# Usage: qemu_cli_test.sh TINYVERIFY SHARED_DIR
set -euo pipefail
tv=$1
shared=$2
model=$shared/models/mlperf-tiny/kws/kws_ref_model.tflite
command -v qemu-system-arm >/dev/null || { echo "SKIP: qemu-system-arm not installed"; exit 77; }
[ -f "${TV_FIRMWARE_DIR:-}/cortex-m4/tvfw.elf" ] || { echo "SKIP: no cortex-m4 firmware"; exit 77; }
[ -f "$model" ] || { echo "SKIP: $model not found"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

/usr/bin/python3 -c "
import numpy as np
np.save('$work/in.npy', np.random.default_rng(7).integers(-128, 128, (4, 1, 49, 10, 1)).astype(np.int8))"
"$tv" run "$model" -i "$work/in.npy" -o "$work/host" 2>/dev/null
"$tv" run "$model" -i "$work/in.npy" -o "$work/m4" --target cortex-m4 --count-instructions \
  --clock-mhz 80 2>"$work/m4.err" || fail "device run: $(cat "$work/m4.err")"
cmp "$work/host/output_0.npy" "$work/m4/output_0.npy" || fail "device output differs from host"
grep -q '"instructions_per_inference"' "$work/m4/device.json" || fail "no instruction counts"
grep -q 'instructions/inference: mean' "$work/m4.err" || fail "no summary: $(cat "$work/m4.err")"
grep -q 'in 1 boot' "$work/m4.err" || fail "batch did not run in one boot"

set +e
"$tv" run "$model" -i "$work/in.npy" -o "$work/small" --target cortex-m4 --ram-kb 16 2>"$work/ram.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "--ram-kb 16: exit $rc, expected 2"
grep -q 'KiB RAM (arena .* board has 16 KiB' "$work/ram.err" || fail "ram message: $(cat "$work/ram.err")"

set +e
"$tv" run "$model" -i "$work/in.npy" -o "$work/small" --target cortex-m4 --flash-kb 100 2>"$work/flash.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "--flash-kb 100: exit $rc, expected 2"
grep -q 'KiB flash (weights 53 KiB + code .* board has 100 KiB' "$work/flash.err" ||
  fail "flash message: $(cat "$work/flash.err")"
# A boot that outlives --qemu-timeout is killed: one error line naming the model, the target
# and the timeout, exit 2 (no QEMU boot and 4 KWS inferences fit in 10 ms).
set +e
"$tv" run "$model" -i "$work/in.npy" -o "$work/slow" --target cortex-m4 --qemu-timeout 0.01 \
  2>"$work/timeout.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "--qemu-timeout 0.01: exit $rc, expected 2"
[ "$(wc -l <"$work/timeout.err")" -eq 1 ] || fail "timeout: not one line: $(cat "$work/timeout.err")"
grep -q "^error: $model: cortex-m4 firmware (QEMU mps2-an386): did not finish within 0.01 s" \
  "$work/timeout.err" || fail "timeout message: $(cat "$work/timeout.err")"
# verify --target: the tiny side runs in QEMU (one boot per chunk), same metrics as on the host,
# and report.json gets the device table.
# (the float32 KWS file is a hybrid model the emulator refuses, so the int8 model is also the ref)
float_model=$model
/usr/bin/python3 -c "
import numpy as np
r = np.random.default_rng(5)
np.save('$work/x.npy', ((r.integers(-128, 128, (40, 49, 10, 1)) - 83) * 0.5847029).astype(np.float32))
np.save('$work/y.npy', r.integers(0, 12, 40).astype(np.int64))"
verify=("$tv" verify --ref "$float_model" --tiny "$model" --data "$work/x.npy" --labels "$work/y.npy"
        --no-progress --threads 2)
"${verify[@]}" --report-dir "$work/rep_host" >/dev/null 2>&1 || fail "host verify"
"${verify[@]}" --report-dir "$work/rep_m4" --target cortex-m4 --count-instructions \
  >/dev/null 2>"$work/verify.err" || fail "device verify: $(cat "$work/verify.err")"
/usr/bin/python3 - "$work/rep_host/report.json" "$work/rep_m4/report.json" <<'PY' || fail "verify reports"
import json, sys
host, dev = (json.load(open(p)) for p in sys.argv[1:])
d = dev["models"]["tiny"][0]["device"]
assert host["models"]["tiny"][0]["device"] is None
assert d["target"] == "cortex-m4" and d["instructions_per_inference"]["mean"] > 1e6, d
assert d["flash_bytes"] == d["flash_weights_bytes"] + d["flash_code_bytes"] and d["stack_high_water_bytes"] > 0
assert dev["tiny"] == host["tiny"], "tiny metrics differ between host and cortex-m4"
PY
grep -q "Device (QEMU" "$work/rep_m4/report.md" || fail "no device table in report.md"
set +e
"${verify[@]}" --report-dir "$work/rep_slow" --target cortex-m4 --qemu-timeout 0.01 \
  >/dev/null 2>"$work/verify_timeout.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "verify --qemu-timeout 0.01: exit $rc, expected 2"
[ "$(wc -l <"$work/verify_timeout.err")" -eq 1 ] &&
  grep -q "^error: $model: cortex-m4 firmware .*did not finish within 0.01 s" \
    "$work/verify_timeout.err" || fail "verify timeout message: $(cat "$work/verify_timeout.err")"
echo "qemu_cli: OK"
