"""tinyverify.Model: results equal the CLI's bytes, errors carry the CLI's messages."""

import json
import re
import threading

import numpy as np
import pytest

from conftest import cli_error_message, run_cli

tinyverify = pytest.importorskip("tinyverify")


def cli_run(cli, model, inputs, out_dir, *extra):
    code, _, err = run_cli(cli, "run", model, "--input", inputs, "--out-dir", str(out_dir), *extra)
    assert code == 0, err
    return out_dir


def assert_same_array(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


def test_specs_describe_the_demo_model(demo):
    m = tinyverify.Model(demo["model"])
    assert m.kernels == "optimized"
    (x,) = m.inputs
    (y,) = m.outputs
    assert x.dtype == np.int8 and y.dtype == np.int8
    assert x.quantized and isinstance(x.scale, float) and x.scale > 0
    assert isinstance(x.zero_point, int)
    assert x.shape[-1] > 0 and all(d > 0 for d in x.shape)
    assert "TensorSpec(name=" in repr(x)


@pytest.mark.parametrize("kernels", ["optimized", "reference"])
def test_batched_run_equals_cli_bytes(cli, demo, tmp_path, kernels):
    out = cli_run(cli, demo["model"], demo["inputs"], tmp_path, "--kernels", kernels)
    x = np.load(demo["inputs"])
    (y,) = tinyverify.Model(demo["model"], kernels=kernels).run(x)
    assert_same_array(y, np.load(out / "output_0.npy"))


def test_single_sample_run_equals_cli_bytes(cli, demo, tmp_path):
    x0 = np.load(demo["inputs"])[0]
    np.save(tmp_path / "x0.npy", x0)
    out = cli_run(cli, demo["model"], str(tmp_path / "x0.npy"), tmp_path / "out")
    (y,) = tinyverify.Model(demo["model"]).run(x0)
    assert_same_array(y, np.load(out / "output_0.npy"))


def test_dump_all_equals_cli_tensor_files(cli, demo, tmp_path):
    out = cli_run(cli, demo["model"], demo["inputs"], tmp_path, "--dump-all")
    dumped = tinyverify.Model(demo["model"]).run(np.load(demo["inputs"]), dump_all=True)
    # CLI files are <index>_<sanitized name>.npy; the dict is in tensor-index order.
    files = sorted((out / "tensors").glob("*.npy"), key=lambda f: int(f.stem.split("_", 1)[0]))
    assert files and len(files) == len(dumped)
    for f, (name, array) in zip(files, dumped.items()):
        index, stem_name = f.stem.split("_", 1)
        # Empty or repeated tensor names are keyed "<index>_<name>".
        assert re.sub(r"[^A-Za-z0-9._-]", "_", name) in (stem_name, f"{index}_{stem_name}")
        assert_same_array(array, np.load(f))


def test_inspect_equals_cli_json(cli, demo):
    code, out, err = run_cli(cli, "inspect", demo["model"], "--json")
    assert code == 0, err
    assert tinyverify.Model(demo["model"]).inspect() == json.loads(out)


def test_onnx_run_and_inspect_equal_cli(cli, onnx_model, tmp_path):
    m = tinyverify.Model(onnx_model)
    assert m.inputs[0].shape == (-1, 6) and m.inputs[0].scale is None
    x = np.random.default_rng(3).standard_normal((5, 6)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    out = cli_run(cli, onnx_model, str(tmp_path / "x.npy"), tmp_path / "out")
    (y,) = m.run(x)
    assert_same_array(y, np.load(out / "output_0.npy"))
    # After a run (batch 5) inspect still describes the model as opened, like the CLI.
    code, text, _ = run_cli(cli, "inspect", onnx_model, "--json")
    assert code == 0 and m.inspect() == json.loads(text)
    assert tinyverify.Model(onnx_model).inspect() == json.loads(text)


def test_matching_arrays_are_not_copied(demo):
    m = tinyverify.Model(demo["model"])
    x = np.load(demo["inputs"])
    before = tinyverify._core._input_copies()
    (y,) = m.run(x)
    assert tinyverify._core._input_copies() == before
    # A non-contiguous view of the same data is converted once and gives the same result.
    strided = np.asfortranarray(x)
    assert not strided.flags.c_contiguous or x.ndim < 2
    (y2,) = m.run(strided)
    assert tinyverify._core._input_copies() == before + (0 if x.ndim < 2 else 1)
    assert_same_array(y, y2)


def test_float64_is_cast_for_float_inputs(onnx_model):
    m = tinyverify.Model(onnx_model)
    x = np.linspace(-1, 1, 12).reshape(2, 6)
    assert_same_array(m.run(x)[0], m.run(x.astype(np.float32))[0])


def test_concurrent_runs_from_threads_match_sequential(demo):
    m = tinyverify.Model(demo["model"])
    x = np.load(demo["inputs"])
    (expected,) = m.run(x)
    results = [None] * 4
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, m.run(x)[0]))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert_same_array(r, expected)


def test_help_is_useful():
    doc = tinyverify.Model.__doc__ + tinyverify.Model.run.__doc__
    for word in ("dump_all", "batch", "inspect", "kernels", "GIL"):
        assert word in doc
