#!/usr/bin/env python3
"""QEMU Cortex-M throughput and host-vs-device byte equality, through the tinyverify CLI.

For each .tflite model: N random samples (seed printed) run once on the host (reference
kernels) and once under `--target T` (one QEMU boot for the batch). Prints per model: whether
the output bytes are identical (float: max |difference|), host and QEMU inferences/s (whole
CLI wall and CPU time, start-up included; CPU time is what to compare on a busy machine)
and the CPU-time ratio, and with --count-instructions the exact
instructions per inference.

  benchmarks/qemu_throughput.py --tinyverify build/tools/tinyverify --target cortex-m4 \
      --samples 100 [--count-instructions] [--all] [MODEL ...]

Default models: the MLPerf Tiny int8 set; --all: every int8/int16/float .tflite in
../shared/models that the host runs. Performance numbers go to issue notes, not tests.
"""
import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

MLPERF_INT8 = [
    "mlperf-tiny/kws/kws_ref_model.tflite",
    "mlperf-tiny/vww/vww_96_int8.tflite",
    "mlperf-tiny/ic/pretrainedResnet_quant.tflite",
    "mlperf-tiny/ad/ad01_int8.tflite",
    "mlperf-tiny/sww/str_ww_ref_model.tflite",
]
NP_DTYPES = {"int8": np.int8, "uint8": np.uint8, "int16": np.int16, "int32": np.int32,
             "float32": np.float32, "bool": np.bool_, "int64": np.int64}


def inspect(tv, model):
    r = subprocess.run([tv, "inspect", model, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


def make_inputs(info, n, rng, work):
    paths = []
    tensors = {t["index"]: t for t in info["tensors"]}
    for k, idx in enumerate(info["inputs"]):
        t = tensors[idx]
        dt = NP_DTYPES[t["dtype"]]
        shape = [n] + [max(d, 1) for d in t["shape"]]
        if dt == np.float32:
            a = rng.uniform(-1, 1, shape).astype(np.float32)
        elif dt == np.bool_:
            a = rng.integers(0, 2, shape).astype(np.bool_)
        else:
            lo, hi = np.iinfo(dt).min, np.iinfo(dt).max
            a = rng.integers(lo, hi, shape, endpoint=True).astype(dt)
        p = os.path.join(work, f"in{k}.npy")
        np.save(p, a)
        paths.append(p)
    return paths


def timed_run(cmd):
    """Runs cmd; returns (result, wall seconds, CPU seconds of the child tree)."""
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (u1.ru_utime + u1.ru_stime) - (u0.ru_utime + u0.ru_stime)
    return r, wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tinyverify", required=True)
    ap.add_argument("--shared", default=str(pathlib.Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--target", default="cortex-m4")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count-instructions", action="store_true")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("models", nargs="*")
    a = ap.parse_args()
    models = a.models or (
        sorted(str(p.relative_to(pathlib.Path(a.shared, "models")))
               for p in pathlib.Path(a.shared, "models").rglob("*.tflite"))
        if a.all else MLPERF_INT8)
    print(f"# target {a.target}, {a.samples} samples/model, seed {a.seed}")
    print("model | dtype | bytes equal (float: max diff) | host inf/s wall (CPU) | "
          "qemu inf/s wall (CPU) | qemu/host time, CPU | instr/inference")
    rng = np.random.default_rng(a.seed)
    for m in models:
        path = os.path.join(a.shared, "models", m)
        info = inspect(a.tinyverify, path)
        if info is None:
            print(f"{m} | - | host cannot open | | | |")
            continue
        with tempfile.TemporaryDirectory() as work:
            ins = make_inputs(info, a.samples, rng, work)
            base = [a.tinyverify, "run", path, "-i", ",".join(ins)]
            h, th, ch = timed_run(base + ["-o", f"{work}/host"])
            if h.returncode != 0:
                print(f"{m} | | host run failed: {h.stderr.strip()[:120]} | | | |")
                continue
            dev = base + ["-o", f"{work}/dev", "--target", a.target]
            if a.count_instructions:
                dev.append("--count-instructions")
            d, td, cd = timed_run(dev)
            if d.returncode != 0:
                print(f"{m} | | device run failed: {d.stderr.strip().splitlines()[-1][:160]} | | | |")
                continue
            verdicts, dtypes = [], []
            for f in sorted(os.listdir(f"{work}/host")):
                if not f.endswith(".npy"):
                    continue
                x, y = np.load(f"{work}/host/{f}"), np.load(f"{work}/dev/{f}")
                dtypes.append(str(x.dtype))
                if x.dtype == np.float32:
                    diff = float(np.max(np.abs(x.astype(np.float64) - y))) if x.size else 0.0
                    verdicts.append("identical" if x.tobytes() == y.tobytes()
                                    else f"max diff {diff:.3g}")
                else:
                    verdicts.append("identical" if x.tobytes() == y.tobytes() else "DIFFERENT")
            instr = ""
            if a.count_instructions:
                dj = json.load(open(f"{work}/dev/device.json"))
                instr = f"{dj['instructions_per_inference']['mean']:.0f}"
            print(f"{m} | {','.join(sorted(set(dtypes)))} | {'; '.join(verdicts)} | "
                  f"{a.samples / th:.1f} ({a.samples / ch:.1f}) | "
                  f"{a.samples / td:.1f} ({a.samples / cd:.1f}) | {cd / ch:.1f}x | {instr}",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
