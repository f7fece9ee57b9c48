"""Bad paths, files, shapes and dtypes raise tinyverify.Error subclasses with the CLI's text."""

import numpy as np
import pytest

from conftest import cli_error_message, run_cli

tinyverify = pytest.importorskip("tinyverify")


def expect_same_error(cli, exc_type, cli_args, call):
    code, _, err = run_cli(cli, *cli_args)
    assert code == 2, err
    with pytest.raises(exc_type) as info:
        call()
    assert isinstance(info.value, tinyverify.Error)
    assert str(info.value) == cli_error_message(err)
    return str(info.value)


def test_missing_model(cli, tmp_path):
    path = str(tmp_path / "missing.tflite")
    msg = expect_same_error(cli, tinyverify.ModelError, ["inspect", path],
                            lambda: tinyverify.Model(path))
    assert msg.startswith(path + ": cannot open file")


def test_truncated_model(cli, demo, tmp_path):
    path = tmp_path / "trunc.tflite"
    path.write_bytes(open(demo["model"], "rb").read()[:100])
    expect_same_error(cli, tinyverify.ModelError, ["inspect", str(path)],
                      lambda: tinyverify.Model(str(path)))


def test_junk_model(cli, tmp_path):
    path = tmp_path / "junk.tflite"
    path.write_bytes(b"not a model at all")
    msg = expect_same_error(cli, tinyverify.ModelError, ["inspect", str(path)],
                            lambda: tinyverify.Model(str(path)))
    assert "not a .tflite model" in msg


def test_wrong_shape(cli, demo, tmp_path):
    bad = np.zeros((3, 5, 7), dtype=np.int8)
    np.save(tmp_path / "bad.npy", bad)
    m = tinyverify.Model(demo["model"])
    msg = expect_same_error(
        cli, tinyverify.InputError,
        ["run", demo["model"], "--input", str(tmp_path / "bad.npy"), "--out-dir", str(tmp_path)],
        lambda: m.run(bad))
    assert "expected shape" in msg and "got [3, 5, 7]" in msg
    with pytest.raises(ValueError):  # InputError is also a ValueError
        m.run(bad)


def test_wrong_dtype(cli, demo, tmp_path):
    m = tinyverify.Model(demo["model"])
    x = np.load(demo["inputs"]).astype(np.float32)
    np.save(tmp_path / "f.npy", x)
    msg = expect_same_error(
        cli, tinyverify.InputError,
        ["run", demo["model"], "--input", str(tmp_path / "f.npy"), "--out-dir", str(tmp_path)],
        lambda: m.run(x))
    assert "expected dtype int8, got float32" in msg


def test_wrong_input_count(demo):
    m = tinyverify.Model(demo["model"])
    x = np.load(demo["inputs"])
    with pytest.raises(tinyverify.InputError, match=r"model has 1 input\(s\), got 2"):
        m.run(x, x)
    with pytest.raises(tinyverify.InputError, match=r"got 0"):
        m.run()


def test_unsupported_dtype(demo):
    m = tinyverify.Model(demo["model"])
    with pytest.raises(tinyverify.InputError, match="not supported"):
        m.run(np.array(["a", "b"]))


def test_bad_kernels_flavour(demo):
    with pytest.raises(ValueError, match="optimized"):
        tinyverify.Model(demo["model"], kernels="fast")


def test_dump_all_on_onnx_is_an_error(onnx_model):
    m = tinyverify.Model(onnx_model)
    with pytest.raises(tinyverify.ModelError, match="dump-all"):
        m.run(np.zeros((1, 6), np.float32), dump_all=True)
