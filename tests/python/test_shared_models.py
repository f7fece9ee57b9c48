"""Real TFLM models from ../shared (skipped when absent): Python equals the CLI's bytes,
including every intermediate tensor of --dump-all."""

import os
import re

import numpy as np
import pytest

from conftest import run_cli

tinyverify = pytest.importorskip("tinyverify")

MODELS = [
    "tflm-keyword_benchmark/keyword_scrambled_8bit.tflite",
    "tflm-micro_speech/micro_speech_quantized.tflite",
]


@pytest.fixture(scope="module")
def shared_dir():
    d = os.environ.get("TV_SHARED_DIR", "")
    if not os.path.isdir(os.path.join(d, "models")):
        pytest.skip("TV_SHARED_DIR (../shared) is absent")
    return d


@pytest.mark.parametrize("relpath", MODELS)
def test_shared_model_batch_and_dump_equal_cli(cli, shared_dir, tmp_path, relpath):
    path = os.path.join(shared_dir, "models", relpath)
    if not os.path.exists(path):
        pytest.skip(f"{relpath} not in shared/")
    m = tinyverify.Model(path)
    spec = m.inputs[0]
    seed = 1234
    print("seed", seed)
    info = np.iinfo(spec.dtype) if np.issubdtype(spec.dtype, np.integer) else None
    rng = np.random.default_rng(seed)
    x = rng.integers(info.min, info.max + 1, size=(3, *spec.shape)).astype(spec.dtype)
    np.save(tmp_path / "x.npy", x)
    code, _, err = run_cli(cli, "run", path, "--input", str(tmp_path / "x.npy"), "--out-dir",
                           str(tmp_path / "out"), "--dump-all")
    assert code == 0, err
    outputs = m.run(x)
    for j, y in enumerate(outputs):
        ref = np.load(tmp_path / "out" / f"output_{j}.npy")
        assert y.dtype == ref.dtype and y.shape == ref.shape and y.tobytes() == ref.tobytes()
    dumped = m.run(x, dump_all=True)
    files = sorted((tmp_path / "out" / "tensors").glob("*.npy"),
                   key=lambda f: int(f.stem.split("_", 1)[0]))
    assert len(files) == len(dumped)
    for f, (name, array) in zip(files, dumped.items()):
        index, stem_name = f.stem.split("_", 1)
        # Empty or repeated tensor names are keyed "<index>_<name>".
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:120]
        assert safe in (stem_name, f"{index}_{stem_name}")
        assert array.tobytes() == np.load(f).tobytes()
