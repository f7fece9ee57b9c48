from typing import Any, Dict, List, Optional, Tuple, Union, overload, Literal

import numpy as np
import numpy.typing as npt

class Error(RuntimeError):
    """Base of every tinyverify error; str(e) is the CLI's error line without 'error: '."""

class ModelError(Error):
    """A model file cannot be opened, parsed, prepared or run."""

class InputError(Error, ValueError):
    """Input arrays of the wrong count, dtype or shape."""

class DataError(Error):
    """A dataset, label, slice or report file cannot be read or written."""

class GateError(Error, ValueError):
    """A malformed gate specification."""

class TensorSpec:
    """One model input or output."""
    @property
    def name(self) -> str: ...
    @property
    def shape(self) -> Tuple[int, ...]:
        """Dimensions; -1 = any size (e.g. an ONNX batch axis)."""
    @property
    def dtype(self) -> np.dtype: ...
    @property
    def quantized(self) -> bool: ...
    @property
    def scale(self) -> Optional[float]: ...
    @property
    def zero_point(self) -> Optional[int]: ...

class Model:
    """A .tflite (emulator) or .onnx (float reference) model, ready to run numpy arrays."""
    def __init__(
        self,
        path: str,
        kernels: Literal["optimized", "reference"] = "optimized",
        threads: int = 1,
    ) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def kernels(self) -> str: ...
    @property
    def inputs(self) -> List[TensorSpec]: ...
    @property
    def outputs(self) -> List[TensorSpec]: ...
    @overload
    def run(
        self, *arrays: npt.ArrayLike, dump_all: Literal[False] = ..., keep_state: bool = ...
    ) -> List[np.ndarray]: ...
    @overload
    def run(
        self, *arrays: npt.ArrayLike, dump_all: Literal[True], keep_state: bool = ...
    ) -> Dict[str, np.ndarray]: ...
    def inspect(self) -> Dict[str, Any]:
        """The dict `tinyverify inspect --json` prints."""

import os

_PathLike = Union[str, "os.PathLike[str]"]
_ModelLike = Union[_PathLike, Model]

class VerifyResult:
    """The outcome of verify(): verdict, headline numbers, report content, per-sample rows."""
    @property
    def passed(self) -> bool: ...
    @property
    def summary(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]:
        """The report.json content."""
    @property
    def samples(self) -> Any:
        """pandas.DataFrame when pandas is installed, else a numpy structured array."""
    def write(self, directory: _PathLike) -> str: ...
    def summary_text(self) -> str: ...
    def html(self) -> str: ...
    def _repr_html_(self) -> str: ...

def verify(
    ref: _ModelLike,
    tiny: Union[_ModelLike, List[_ModelLike]],
    x: Union[_PathLike, npt.ArrayLike],
    y: Optional[Union[_PathLike, npt.ArrayLike]] = None,
    *,
    preprocess: Optional[str] = None,
    slices: Optional[Union[_PathLike, Dict[str, Union[str, List[str]]]]] = None,
    gate: Optional[str] = None,
    class_names: Optional[Union[_PathLike, List[str]]] = None,
    limit: Optional[int] = None,
    threads: int = 0,
    kernels: Optional[Literal["optimized", "reference"]] = None,
    worst: int = 20,
    csv_label_column: Optional[int] = None,
    report_dir: Optional[_PathLike] = None,
) -> VerifyResult:
    """Compares tiny model(s) against a float reference on held-out data (`tinyverify verify`)."""
