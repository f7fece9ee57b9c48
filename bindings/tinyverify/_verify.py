"""tinyverify.verify() and VerifyResult: the `tinyverify verify` command for Python users."""

import csv
import html
import io
import json
import os

import numpy as np

from tinyverify import _core


def _path_of(model, what):
    if isinstance(model, _core.Model):
        return model.path, model.kernels
    if isinstance(model, (str, os.PathLike)):
        return os.fspath(model), None
    raise TypeError(f"{what} must be a path or a tinyverify.Model, not {type(model).__name__}")


def _is_path(obj):
    return isinstance(obj, (str, os.PathLike))


def verify(ref, tiny, x, y=None, *, preprocess=None, slices=None, gate=None, class_names=None,
           limit=None, threads=0, kernels=None, worst=20, csv_label_column=None,
           report_dir=None):
    """Compares tiny model(s) against a float reference on held-out data.

    ref: the reference model (.onnx or float .tflite), as a path or a tinyverify.Model.
    tiny: one tiny model (.tflite) or a list of variants, paths or Models.
    x: the data, as a path (.npz, .npy, IDX, CSV, image folder: like `verify --data`) or a
        numpy array [N, ...] of samples (uint8 images get thumbnails in the report).
    y: labels: a path (like `--labels`) with path data, or an array [N] of class labels
        (float values: regression targets) with array data. None: agreement metrics only.
    preprocess: "scale=1/255,mean=0.5,std=0.5" (like `--preprocess`); None = the CLI default.
    slices: a CSV path (`--slices`) or a dict {sample id: tag or [tags]}; the ids of array data
        are the sample indices as text ("0", "1", ...).
    gate: "top1_drop<=1.0,agreement>=0.98" (like `--gate`); r.passed tells the outcome.
    class_names: a text file (one per line) or a list of names.
    limit: first N samples only. threads: 0 = all cores. worst: worst-N samples kept.
    kernels: "optimized" or "reference" for the .tflite models; default: the Models' flavour,
        else "optimized".
    report_dir: also write report.json, samples.csv, report.md, report.html, junit.xml there.

    Returns a VerifyResult. The GIL is released while the models run. Raises ModelError,
    DataError, GateError (tinyverify.Error subclasses) with the CLI's messages.
    """
    ref_path, ref_kernels = _path_of(ref, "ref")
    tinies = list(tiny) if isinstance(tiny, (list, tuple)) else [tiny]
    if not tinies:
        raise ValueError("verify needs at least one tiny model")
    tiny_paths, tiny_kernels = [], []
    for t in tinies:
        p, k = _path_of(t, "tiny")
        tiny_paths.append(p)
        tiny_kernels.append(k)
    if kernels is None:
        chosen = [k for k in tiny_kernels + [ref_kernels] if k is not None]
        kernels = chosen[0] if chosen else "optimized"

    data_path, labels_path, x_arr, y_arr = "", "", None, None
    if _is_path(x):
        data_path = os.fspath(x)
        if y is not None:
            if not _is_path(y):
                raise TypeError("with a data path, y must be a labels path (or None)")
            labels_path = os.fspath(y)
    else:
        x_arr = np.asarray(x)
        if y is not None:
            if _is_path(y):
                raise TypeError("with array data, y must be an array of labels (or None)")
            y_arr = np.asarray(y)

    slices_path, slices_map = "", {}
    if _is_path(slices):
        slices_path = os.fspath(slices)
    elif slices is not None:
        for sample_id, tags in dict(slices).items():
            slices_map[str(sample_id)] = [tags] if isinstance(tags, str) else [str(t) for t in tags]

    names_path, names = "", []
    if _is_path(class_names):
        names_path = os.fspath(class_names)
    elif class_names is not None:
        names = [str(n) for n in class_names]

    core = _core._verify(
        ref=ref_path, tiny=tiny_paths, data_path=data_path, x=x_arr, y=y_arr,
        labels_path=labels_path, preprocess=preprocess or "", slices_path=slices_path,
        slices=slices_map, class_names_path=names_path, class_names=names, gate=gate or "",
        limit=-1 if limit is None else int(limit), threads=int(threads), kernels=kernels,
        worst=int(worst), csv_label_column=-2 if csv_label_column is None else int(csv_label_column))
    result = VerifyResult(core)
    if report_dir is not None:
        result.write(report_dir)
    return result


def _column(values):
    """Typed numpy column from CSV text cells: int, float, else str."""
    for kind in (int, float):
        try:
            return np.array([kind(v) if v != "" else (np.nan if kind is float else 0)
                             for v in values])
        except ValueError:
            continue
    return np.array(values, dtype=str)


class VerifyResult:
    """The outcome of tinyverify.verify().

    passed: the gates' verdict (True without gates). summary: headline numbers (dict).
    to_dict(): the report.json content. samples: per-sample rows (samples.csv) as a pandas
    DataFrame when pandas is installed, else a numpy structured array. write(dir): every
    report file. In a notebook the result renders as the HTML report.
    """

    def __init__(self, core):
        self._core = core
        self._dict = None

    @property
    def passed(self):
        return bool(self._core.passed)

    def to_dict(self):
        """The report.json content (schema tinyverify.report/1)."""
        if self._dict is None:
            self._dict = json.loads(self._core.json())
        return json.loads(json.dumps(self._dict))  # a copy the caller may change

    @property
    def summary(self):
        """Headline numbers: task, n, passed, ref top-1, and per variant the paired metrics."""
        d = self.to_dict()
        variants = []
        for v in d.get("variants", []):
            paired, div = v.get("paired", {}), v.get("divergence", {})
            variants.append({
                "name": v.get("name"),
                "top1": v.get("tiny", {}).get("top1"),
                "top1_drop_pp": paired.get("top1_drop_pp"),
                "agreement": paired.get("agreement"),
                "kappa": paired.get("kappa"),
                "flips": paired.get("flips"),
                "high_conf_flips": paired.get("high_conf_flips"),
                "class_drop_max_pp": paired.get("class_drop_max_pp"),
                "max_abs_diff": div.get("max_abs_diff"),
            })
        return {"task": d.get("task"), "n": d.get("n"), "passed": d.get("passed"),
                "ref_top1": d.get("ref", {}).get("top1"), "variants": variants,
                "gates": [{k: g.get(k) for k in ("gate", "passed")} for g in d.get("gates", [])]}

    @property
    def samples(self):
        """samples.csv rows: a pandas DataFrame if pandas is installed, else a structured array."""
        text = self._core.samples_csv()
        try:
            import pandas
        except ImportError:
            pandas = None
        if pandas is not None:
            return pandas.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
        rows = list(csv.reader(io.StringIO(text)))
        header, body = rows[0], rows[1:]
        columns = [_column([r[i] for r in body]) for i in range(len(header))]
        out = np.empty(len(body), dtype=[(h, c.dtype) for h, c in zip(header, columns)])
        for h, c in zip(header, columns):
            out[h] = c
        return out

    def write(self, directory):
        """Writes report.json, samples.csv, report.md, report.html and junit.xml."""
        self._core.write(os.fspath(directory))
        return os.fspath(directory)

    def summary_text(self):
        """The summary table the CLI prints."""
        return self._core.summary_text()

    def html(self):
        """The report.html document."""
        return self._core.html()

    def _repr_html_(self):
        # An iframe keeps the report's own styles from leaking into the notebook page.
        return ('<iframe style="width:100%;height:720px;border:1px solid #ddd" srcdoc="'
                + html.escape(self._core.html(), quote=True) + '"></iframe>')

    def __repr__(self):
        return self._core.summary_text()
