"""tinyverify: run TinyML models on the host and verify a compressed model's fidelity.

    import tinyverify
    m = tinyverify.Model("model_int8.tflite")
    y, = m.run(x)
    r = tinyverify.verify("big.onnx", m, x_test, y_test, gate="top1_drop<=1.0")
    r.passed, r.summary, r.samples

Every error is a tinyverify.Error subclass whose message matches the CLI's error line.
"""

from tinyverify._core import (  # noqa: F401  (re-exported API)
    DataError,
    Error,
    GateError,
    InputError,
    Model,
    ModelError,
    TensorSpec,
)
from tinyverify._verify import VerifyResult, verify  # noqa: F401

__all__ = [
    "DataError",
    "Error",
    "GateError",
    "InputError",
    "Model",
    "ModelError",
    "TensorSpec",
    "VerifyResult",
    "verify",
]
