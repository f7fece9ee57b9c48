#include "bindings/model.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdio>
#include <utility>
#include <vector>

#include "bindings/errors.h"
#include "bindings/numpy_convert.h"
#include "compare/tensor_dump.h"
#include "reports/model_info_json.h"

namespace py = pybind11;

namespace tv {
namespace py_bindings {

ExecutorOptions ParseKernelOptions(const std::string& kernels, int threads) {
  if (kernels != "optimized" && kernels != "reference")
    throw py::value_error("kernels must be \"optimized\" or \"reference\", got \"" + kernels +
                          "\"");
  if (threads < 1) throw py::value_error("threads must be >= 1");
  ExecutorOptions o;
  o.kernels = kernels == "optimized" ? KernelFlavor::kOptimized : KernelFlavor::kReference;
  o.threads = threads;
  return o;
}

PyModel::PyModel(std::string path, const std::string& kernels, int threads)
    : path_(std::move(path)), kernels_(kernels), options_(ParseKernelOptions(kernels, threads)) {
  Status s;
  {
    py::gil_scoped_release release;  // loading validates and plans the whole model
    s = OpenExecutor(path_, options_, &exec_);
  }
  ThrowIf<ModelError>(s, path_);
}

py::object PyModel::Run(const py::args& arrays, bool dump_all, bool keep_state) {
  BorrowedInputs in;
  BorrowInputs(arrays, exec_->inputs(), &in);
  int64_t batch = -1;
  ThrowIf<InputError>(CheckInputs(exec_->inputs(), in.views, &batch), path_);

  TensorDump dump;  // the CLI's --dump-all layout
  std::vector<HostTensor> outputs;
  Status s;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mutex_);
    has_run_ = true;
    s = RunBatchedViews(*exec_, in.views, keep_state, &outputs, dump_all ? &dump.sink() : nullptr);
  }
  ThrowIf<ModelError>(s, path_);

  if (!dump_all) {
    py::list result;
    for (HostTensor& t : outputs) result.append(ToNumpy(std::move(t)));
    return std::move(result);
  }
  // Keyed by tensor name; an empty or repeated name falls back to "<index>_<name>".
  py::dict result;
  if (batch >= 0) dump.AddBatchAxis();
  for (auto& [index, d] : dump.tensors()) {
    std::string key = d.name;
    if (key.empty() || result.contains(key)) key = std::to_string(index) + "_" + d.name;
    result[py::str(key)] = ToNumpy(std::move(d.tensor));
  }
  return std::move(result);
}

std::string PyModel::InspectJson() {
  if (!inspect_json_.empty()) return inspect_json_;
  ModelInfo info;
  Status s;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mutex_);
    if (has_run_) {
      std::unique_ptr<Executor> fresh;
      s = OpenExecutor(path_, options_, &fresh);
      if (s.ok()) s = fresh->Inspect(&info);
    } else {
      s = exec_->Inspect(&info);
    }
  }
  ThrowIf<ModelError>(s, path_);
  inspect_json_ = reports::ModelInfoToJson(info);
  return inspect_json_;
}

namespace {

py::object QuantOrNone(const TensorSpec& s, py::object value) {
  return s.quantized ? std::move(value) : py::object(py::none());
}

std::string SpecRepr(const TensorSpec& s) {
  std::string r = "TensorSpec(name='" + s.name + "', shape=" + ShapeToString(s.shape) +
                  ", dtype=" + DataTypeName(s.dtype);
  if (s.quantized) {
    char quant[64];
    std::snprintf(quant, sizeof(quant), ", scale=%.8g, zero_point=%d", s.scale, s.zero_point);
    r += quant;
  }
  return r + ")";
}

}  // namespace

void RegisterModel(py::module_& m) {
  py::class_<TensorSpec>(m, "TensorSpec",
                         "One model input or output: name, shape (-1 = any size, e.g. an ONNX "
                         "batch axis), numpy dtype and, for quantized tensors, scale and "
                         "zero point (real = scale * (q - zero_point)).")
      .def_property_readonly("name", [](const TensorSpec& s) { return s.name; })
      .def_property_readonly("shape", [](const TensorSpec& s) { return ShapeTuple(s.shape); })
      .def_property_readonly("dtype", [](const TensorSpec& s) { return NumpyDtype(s.dtype); })
      .def_property_readonly("quantized", [](const TensorSpec& s) { return s.quantized; })
      .def_property_readonly(
          "scale", [](const TensorSpec& s) { return QuantOrNone(s, py::float_(s.scale)); },
          "Quantization scale, None when the tensor is not quantized.")
      .def_property_readonly(
          "zero_point", [](const TensorSpec& s) { return QuantOrNone(s, py::int_(s.zero_point)); },
          "Quantization zero point, None when the tensor is not quantized.")
      .def("__repr__", &SpecRepr);

  py::class_<PyModel>(m, "Model", R"doc(A .tflite or .onnx model, ready to run numpy arrays.

.tflite models run in tinyverify's emulator (bit-exact with TFLite Micro's kernels),
.onnx models in the float reference interpreter.

    m = tinyverify.Model("model_int8.tflite", kernels="optimized")
    m.inputs            # [TensorSpec(name=..., shape=[1, 28, 28, 1], dtype=int8, ...)]
    y, = m.run(x)       # x: the input's shape, or [N] + shape for a batch of N
    acts = m.run(x, dump_all=True)   # {tensor name: array} for every intermediate
    m.inspect()         # the dict `tinyverify inspect --json` prints

Errors raise tinyverify.Error subclasses with the CLI's messages.)doc")
      .def(py::init<std::string, const std::string&, int>(), py::arg("path"),
           py::arg("kernels") = "optimized", py::arg("threads") = 1,
           R"doc(Opens and prepares a model.

path: a .tflite or .onnx file.
kernels: "optimized" (default) or "reference" kernel flavour for .tflite models; both give
    the same results, reference mirrors TFLM's reference kernels line by line.
threads: worker threads of the ONNX reference (1 = deterministic single thread).
Raises tinyverify.ModelError when the file cannot be read, parsed or prepared.)doc")
      .def_property_readonly("path", &PyModel::path)
      .def_property_readonly("kernels", &PyModel::kernels)
      .def_property_readonly(
          "inputs", [](PyModel& self) { return self.executor().inputs(); },
          "Input TensorSpecs, in the order run() takes them.")
      .def_property_readonly(
          "outputs", [](PyModel& self) { return self.executor().outputs(); },
          "Output TensorSpecs, in the order run() returns them.")
      .def("run", &PyModel::Run, py::arg("dump_all") = false, py::arg("keep_state") = false,
           R"doc(run(*arrays, dump_all=False, keep_state=False)

Runs the model on one array per input. Each array has the input's shape, or one extra
leading dimension N: then N independent invocations run and every output gains the
leading N. Arrays that already have the input's dtype and C layout are read in place (no
copy); float arrays are cast to a float input's precision; any other dtype mismatch raises.
The GIL is released while the model runs.

Returns a list of numpy arrays, one per output. With dump_all=True, returns instead a dict
{tensor name: array} of every tensor an operator produced (outputs included), batched like
the outputs. keep_state keeps recurrent (LSTM/SVDF) state between the N samples.
Raises tinyverify.InputError for a wrong count, dtype or shape, ModelError if a kernel fails.)doc")
      .def(
          "inspect",
          [](PyModel& self) {
            return py::module_::import("json").attr("loads")(self.InspectJson());
          },
          "Operators, tensors, weights, planned arena and MACs: the same dict as "
          "`tinyverify inspect --json`.")
      .def("__repr__", [](PyModel& self) {
        return "Model('" + self.path() + "', kernels='" + self.kernels() + "')";
      });
}

}  // namespace py_bindings
}  // namespace tv
