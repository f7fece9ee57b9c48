"""tinyverify.verify(): the same report as `tinyverify verify`, from paths or numpy arrays."""

import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import cli_error_message, run_cli

tinyverify = pytest.importorskip("tinyverify")

# Fields that legitimately differ between two runs of the same verification.
VOLATILE = ("run",)


def stable(report):
    return {k: v for k, v in report.items() if k not in VOLATILE}


@pytest.fixture(scope="module")
def pair(cli, tmp_path_factory):
    """A float ONNX classifier, its int8 .tflite from `tinyverify compress`, and labelled data."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    seed = 20261126
    print("seed", seed)
    rng = np.random.default_rng(seed)
    w1 = rng.standard_normal((16, 32)).astype(np.float32) * 0.5
    b1 = rng.standard_normal(32).astype(np.float32) * 0.1
    w2 = rng.standard_normal((32, 5)).astype(np.float32) * 0.5
    b2 = rng.standard_normal(5).astype(np.float32) * 0.1
    inits = [numpy_helper.from_array(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"),
                                                         (b2, "b2"))]
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w1"], ["h0"]), helper.make_node("Add", ["h0", "b1"], ["h1"]),
         helper.make_node("Relu", ["h1"], ["h"]), helper.make_node("MatMul", ["h", "w2"], ["l0"]),
         helper.make_node("Add", ["l0", "b2"], ["logits"])],
        "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 5])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    d = tmp_path_factory.mktemp("pair")
    onnx.save(model, str(d / "mlp.onnx"))
    x = rng.standard_normal((300, 16)).astype(np.float32)
    logits = np.maximum(x @ w1 + b1, 0) @ w2 + b2
    y = logits.argmax(1).astype(np.int64)
    noisy = rng.random(300) < 0.15  # some wrong labels, so accuracy is not trivially 1
    y[noisy] = rng.integers(0, 5, int(noisy.sum()))
    np.save(d / "x.npy", x)
    np.save(d / "y.npy", y)
    code, _, err = run_cli(cli, "compress", "--onnx", str(d / "mlp.onnx"), "--calib",
                           str(d / "x.npy"), "--out", str(d / "mlp_int8.tflite"))
    if code != 0:
        pytest.skip(f"compress could not make the tiny model: {err.strip()}")
    return {"ref": str(d / "mlp.onnx"), "tiny": str(d / "mlp_int8.tflite"), "x": x, "y": y,
            "x_path": str(d / "x.npy"), "y_path": str(d / "y.npy"), "dir": d}


@pytest.fixture(scope="module")
def cli_verify(cli):
    code, out, _ = run_cli(cli, "--help")
    if code != 0 or "verify" not in out:
        pytest.skip("this CLI has no verify command")
    return cli


def test_paths_equal_cli_report_json(cli_verify, pair, tmp_path):
    gate = "top1_drop<=50,agreement>=0.5"
    code, out, err = run_cli(cli_verify, "verify", "--ref", pair["ref"], "--tiny", pair["tiny"],
                             "--data", pair["x_path"], "--labels", pair["y_path"], "--gate",
                             gate, "--kernels", "reference", "--threads", "2", "--report-dir",
                             str(tmp_path / "cli"), "--no-progress")
    assert code in (0, 1), err
    r = tinyverify.verify(pair["ref"], pair["tiny"], pair["x_path"], pair["y_path"], gate=gate,
                          kernels="reference", threads=2)
    cli_report = json.loads((tmp_path / "cli" / "report.json").read_text())
    assert stable(r.to_dict()) == stable(cli_report)
    assert r.passed == (code == 0) == cli_report["passed"]
    assert r.summary_text() == out
    r.write(tmp_path / "py")
    assert (tmp_path / "py" / "samples.csv").read_text() == (tmp_path / "cli" / "samples.csv").read_text()


def test_arrays_and_models_give_the_paths_metrics(pair):
    by_path = tinyverify.verify(pair["ref"], pair["tiny"], pair["x_path"], pair["y_path"],
                                kernels="reference").to_dict()
    ref = tinyverify.Model(pair["ref"])
    tiny = tinyverify.Model(pair["tiny"], kernels="reference")
    r = tinyverify.verify(ref, tiny, pair["x"], pair["y"])
    by_array = r.to_dict()
    assert by_array["data"]["format"] == "array"
    for key in ("n", "task", "num_classes", "ref", "tiny", "paired", "per_class", "divergence"):
        assert by_array[key] == by_path[key], key
    s = r.summary
    assert s["n"] == 300 and s["variants"][0]["agreement"] == by_path["paired"]["agreement"]
    assert r.passed  # no gates


def test_samples_gate_html_and_slices(pair, tmp_path):
    slices = {str(i): "first_fifty" for i in range(50)}
    r = tinyverify.verify(pair["ref"], [pair["tiny"], pair["tiny"]], pair["x"], pair["y"],
                          slices=slices, gate="agreement>=1.01", class_names=list("abcde"))
    assert not r.passed
    d = r.to_dict()
    assert len(d["variants"]) == 2 and d["class_names"] == list("abcde")
    assert any(s["name"] == "first_fifty" and s["count"] == 50
               for s in d["variants"][0]["slices"])
    rows = r.samples
    assert len(rows) == 300
    html = r._repr_html_()
    assert html.startswith("<iframe") and "srcdoc=" in html
    r.write(tmp_path / "rep")
    assert json.loads((tmp_path / "rep" / "report.json").read_text())["passed"] is False


def test_samples_as_dataframe_and_structured_array(pair, monkeypatch):
    """r.samples is a DataFrame with pandas and a structured array without; same rows."""
    pandas = pytest.importorskip("pandas")
    r = tinyverify.verify(pair["ref"], pair["tiny"], pair["x"], pair["y"])
    frame = r.samples
    assert isinstance(frame, pandas.DataFrame)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    array = r.samples
    assert isinstance(array, np.ndarray) and array.dtype.names is not None
    assert list(frame.columns) == list(array.dtype.names)
    assert len(frame) == len(array) == 300
    for name in array.dtype.names:
        left, right = frame[name].to_numpy(), array[name]
        if right.dtype.kind == "f":
            np.testing.assert_array_equal(left.astype(np.float64), right.astype(np.float64))
        else:
            assert [str(v) for v in left] == [str(v) for v in right], name


def test_errors_carry_cli_messages(cli_verify, pair, tmp_path):
    missing = str(tmp_path / "missing.onnx")
    code, _, err = run_cli(cli_verify, "verify", "--ref", missing, "--tiny", pair["tiny"],
                           "--data", pair["x_path"], "--no-progress")
    assert code == 2
    with pytest.raises(tinyverify.ModelError) as info:
        tinyverify.verify(missing, pair["tiny"], pair["x_path"])
    assert str(info.value) == cli_error_message(err)

    code, _, err = run_cli(cli_verify, "verify", "--ref", pair["ref"], "--tiny", pair["tiny"],
                           "--data", pair["x_path"], "--gate", "top1_dorp<=1", "--no-progress")
    assert code == 2
    with pytest.raises(tinyverify.GateError) as info:
        tinyverify.verify(pair["ref"], pair["tiny"], pair["x_path"], gate="top1_dorp<=1")
    assert str(info.value) == cli_error_message(err)


def test_bad_arrays_raise_data_errors(pair):
    with pytest.raises(tinyverify.DataError, match="labels for 300 samples"):
        tinyverify.verify(pair["ref"], pair["tiny"], pair["x"], pair["y"][:10])
    with pytest.raises(tinyverify.Error):
        tinyverify.verify(pair["ref"], pair["tiny"], pair["x"][:, :7])
    with pytest.raises(TypeError):
        tinyverify.verify(pair["ref"], pair["tiny"], pair["x"], pair["y_path"])
