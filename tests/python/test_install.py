"""`cmake --install --component python` gives an importable package with stubs."""

import os
import subprocess
import sys

import pytest


def test_installed_package_imports(build_dir, tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", build_dir, "--component", "python", "--prefix",
                    str(prefix)], check=True, capture_output=True)
    packages = list(prefix.glob("lib/python3*/dist-packages/tinyverify"))
    assert len(packages) == 1, list(prefix.rglob("*"))
    names = {p.name for p in packages[0].iterdir()}
    assert {"__init__.py", "__init__.pyi", "py.typed"} <= names
    assert any(n.startswith("_core") and n.endswith(".so") for n in names)
    env = dict(os.environ, PYTHONPATH=str(packages[0].parent))
    code = "import tinyverify; print(tinyverify.__file__); help(tinyverify.Model)"
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                         text=True).stdout
    assert out.startswith(str(packages[0])) and "dump_all" in out
