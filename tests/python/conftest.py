"""Fixtures for the Python binding tests.

ctest sets PYTHONPATH=<build>/bindings and TV_CLI / TV_MAKE_DEMO / TV_BUILD_DIR to the build's
binaries; run by hand the same way (see README, "Python"). Tests that need a missing piece skip.
"""

import os
import subprocess

import numpy as np
import pytest


def _env_path(name):
    value = os.environ.get(name)
    if not value or not os.path.exists(value):
        pytest.skip(f"{name} is not set to an existing path")
    return value


@pytest.fixture(scope="session")
def cli():
    return _env_path("TV_CLI")


@pytest.fixture(scope="session")
def build_dir():
    return _env_path("TV_BUILD_DIR")


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The int8 demo MLP and its input batch, made by the build's make_demo_model."""
    make_demo = _env_path("TV_MAKE_DEMO")
    out = tmp_path_factory.mktemp("demo")
    subprocess.run([make_demo, str(out)], check=True, capture_output=True)
    return {"model": str(out / "demo_mlp_int8.tflite"), "inputs": str(out / "demo_inputs.npy"),
            "dir": out}


@pytest.fixture(scope="session")
def onnx_model(tmp_path_factory):
    """A small float ONNX model (MatMul + Add + Relu, symbolic batch) made with python3-onnx."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(7)
    w = numpy_helper.from_array(rng.standard_normal((6, 4)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal((4,)).astype(np.float32), "b")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["xw"]),
         helper.make_node("Add", ["xw", "b"], ["pre"]),
         helper.make_node("Relu", ["pre"], ["y"])],
        "tiny_dense",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])],
        initializer=[w, b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = tmp_path_factory.mktemp("onnx") / "tiny_dense.onnx"
    onnx.save(model, str(path))
    return str(path)


def run_cli(cli, *args):
    """Runs the CLI; returns (exit code, stdout, stderr)."""
    p = subprocess.run([cli, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def cli_error_message(stderr):
    """The CLI's `error: <file>: <what>` line without its prefix: what str(exception) must be."""
    line = stderr.strip().splitlines()[-1]
    assert line.startswith("error: "), stderr
    return line[len("error: "):]
