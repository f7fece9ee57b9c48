"""examples/notebooks/fashion_fidelity.ipynb executes headless (jupyter nbconvert --execute).

Uses examples/fashion/fashion_cnn{.onnx,_int8.tflite} when present; otherwise a stand-in pair
of the same shape (a random-weight ONNX CNN and its `tinyverify compress` int8 version), so the
notebook is exercised either way. Needs nbconvert, matplotlib and dataset-fashion-mnist."""

import gzip
import importlib.util
import os
import shutil
import subprocess

import numpy as np
import pytest

from conftest import run_cli

DATA = "/usr/share/datasets/fashion-mnist"


def _require():
    for module in ("nbconvert", "nbformat", "matplotlib", "ipykernel"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"python3 module {module} is missing")
    if shutil.which("jupyter") is None:
        pytest.skip("jupyter is not installed")
    if not os.path.exists(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")):
        pytest.skip("dataset-fashion-mnist is not installed")


def _stand_in_pair(cli, out):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    seed = 5
    print("stand-in seed", seed)
    rng = np.random.default_rng(seed)
    weights = {"k": rng.standard_normal((8, 1, 3, 3)) * 0.4, "kb": np.zeros(8),
               "w": rng.standard_normal((10, 8 * 14 * 14)) * 0.05, "wb": np.zeros(10)}
    inits = [numpy_helper.from_array(v.astype(np.float32), k) for k, v in weights.items()]
    nodes = [helper.make_node("Conv", ["image", "k", "kb"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["r"]),
             helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Flatten", ["p"], ["f"]),
             helper.make_node("Gemm", ["f", "w", "wb"], ["l"], transB=1),
             helper.make_node("Softmax", ["l"], ["probs"], axis=1)]
    graph = helper.make_graph(
        nodes, "stand_in",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 10])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(out / "fashion_cnn.onnx"))
    raw = gzip.open(os.path.join(DATA, "train-images-idx3-ubyte.gz"), "rb").read()
    calib = np.frombuffer(raw, np.uint8, offset=16)[:200 * 784].reshape(200, 1, 28, 28)
    np.save(out / "calib.npy", calib.astype(np.float32) / 255.0)
    code, _, err = run_cli(cli, "compress", "--onnx", str(out / "fashion_cnn.onnx"), "--calib",
                           str(out / "calib.npy"), "--out", str(out / "fashion_cnn_int8.tflite"))
    if code != 0:
        pytest.skip(f"compress cannot make the stand-in tiny model: {err.strip()}")
    return out


def test_notebook_executes(cli, tmp_path):
    _require()
    nbformat = pytest.importorskip("nbformat")
    source = os.environ.get("TV_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    notebook = os.path.join(source, "examples", "notebooks", "fashion_fidelity.ipynb")
    models = os.path.join(source, "examples", "fashion")
    if not all(os.path.exists(os.path.join(models, f))
               for f in ("fashion_cnn.onnx", "fashion_cnn_int8.tflite")):
        models = str(_stand_in_pair(cli, tmp_path))
    env = dict(os.environ, TV_FASHION_DIR=models, TV_NOTEBOOK_LIMIT="1000")
    # The kernel runs in tmp_path: make the module's path absolute.
    env["PYTHONPATH"] = os.pathsep.join(
        os.path.abspath(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)
    env.pop("MPLBACKEND", None)  # the kernel's inline backend makes the PNGs
    out = tmp_path / "executed.ipynb"
    p = subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=600", notebook, "--output", str(out)],
                       env=env, cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-3000:]
    nb = nbformat.read(str(out), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "data" in o and "image/png" in o.data]
    assert images, "the per-class plot is missing"
    html = [o for o in outputs if "data" in o and "text/html" in o.data]
    assert html and "srcdoc" in html[-1].data["text/html"]
