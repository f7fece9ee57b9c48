// tinyverify._core._verify and _core.VerifyResult: the `tinyverify verify` flow (pipeline ->
// Analyzer -> gates -> reports) over paths or in-memory numpy data. The Python wrapper
// (tinyverify/_verify.py) normalizes arguments and presents the result.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bindings/errors.h"
#include "bindings/model.h"
#include "bindings/numpy_convert.h"
#include "compare/analysis.h"
#include "compare/array_dataset.h"
#include "compare/verify_pipeline.h"
#include "compare/verify_request.h"
#include "compare/verify_result.h"
#include "reports/report_writer.h"

namespace py = pybind11;

namespace tv {
namespace py_bindings {

namespace {

struct VerifyCall {
  verify::VerifyRequest request;  // what the CLI takes too; data_path empty with arrays
  py::object x, y;                // numpy data (None with a path)
  std::map<std::string, std::vector<std::string>> slices;
  std::vector<std::string> class_names;
  std::string kernels = "optimized";
};

// A C-contiguous array of a dtype the library knows (one conversion when needed).
py::array Contiguous(const py::object& obj, const char* what) {
  py::array arr = py::array::ensure(py::module_::import("numpy").attr("ascontiguousarray")(obj));
  DataType t;
  if (!arr || !DataTypeOf(arr.dtype(), &t))
    throw DataError(std::string(what) + ": numpy dtype " +
                    (arr ? std::string(py::str(arr.dtype())) : "?") + " is not supported");
  return arr;
}

TensorView ViewOfArray(const py::array& arr) {
  TensorView v;
  DataTypeOf(arr.dtype(), &v.dtype);
  for (py::ssize_t d = 0; d < arr.ndim(); ++d) v.shape.push_back(arr.shape(d));
  v.data = static_cast<const uint8_t*>(arr.data());
  v.size = static_cast<size_t>(arr.nbytes());
  return v;
}

// The pipeline's messages start with the file they are about: classify by that file.
[[noreturn]] void ThrowPipelineError(const Status& s, const VerifyCall& c) {
  const std::string msg = s.message();
  auto names = [&msg](const std::string& path) {
    return !path.empty() && msg.compare(0, path.size(), path) == 0;
  };
  const verify::VerifyRequest& r = c.request;
  if (names(r.ref_path)) throw ModelError(msg);
  for (const std::string& t : r.tiny_paths)
    if (names(t)) throw ModelError(msg);
  if (names(r.data_path) || names(r.labels_path)) throw DataError(msg);
  throw Error(msg);
}

verify::VerifyResult RunVerify(const VerifyCall& c) {
  verify::AnalysisConfig config;
  config.class_names = c.class_names;
  config.slices = c.slices;
  ThrowIf<DataError>(verify::LoadAnalysisConfig(c.request, &config), "");

  verify::VerifyOptions o =
      verify::PipelineOptions(c.request, ParseKernelOptions(c.kernels, 1).kernels);
  o.dataset.class_names = config.class_names;

  // In-memory data: borrowed for the whole run (the arrays stay referenced here).
  py::array x, y;
  std::unique_ptr<verify::Dataset> arrays;
  if (!c.x.is_none()) {
    x = Contiguous(c.x, "x");
    std::vector<int64_t> labels;
    std::vector<std::vector<float>> targets;
    if (!c.y.is_none()) {
      y = Contiguous(c.y, "y");
      HostTensor yt;
      const TensorView yv = ViewOfArray(y);
      yt.dtype = yv.dtype;
      yt.shape = yv.shape;
      yt.bytes.assign(yv.data, yv.data + yv.size);
      ThrowIf<DataError>(verify::LabelsFromTensor(yt, &labels, &targets), "y");
    }
    ThrowIf<DataError>(
        verify::OpenArrayDataset(ViewOfArray(x), std::move(labels), std::move(targets), &arrays),
        "x");
    verify::RefuseNonFiniteSamples(&arrays);
    o.data = arrays.get();
    o.data_path = "<numpy array>";
  }

  verify::PipelineInfo info;
  verify::VerifySetup setup;
  verify::LazyAnalyzer analyzer(
      std::move(config), static_cast<int32_t>(c.request.tiny_paths.size()), &info, o.data_path);
  verify::VerifyResult result;
  Status s;
  {
    py::gil_scoped_release release;
    s = verify::RunVerifyPipeline(o, analyzer.sink(), &setup, &info);
    if (s.ok() && analyzer.started()) s = analyzer.Finish(setup, &result);
  }
  if (!s.ok()) ThrowPipelineError(s, c);
  if (!analyzer.started()) throw DataError(setup.data_path + ": no samples");
  const std::string& gate = c.request.gate;
  if (!gate.empty()) ThrowIf<GateError>(verify::EvaluateGates(gate, &result), "--gate");
  return result;
}

}  // namespace

void RegisterVerify(py::module_& m) {
  py::class_<verify::VerifyResult>(m, "VerifyResult", "The C++ result of one verify run.")
      .def_property_readonly("passed", [](const verify::VerifyResult& r) { return r.passed; })
      .def("json", &reports::RenderJson, "report.json text")
      .def("summary_text", &reports::RenderSummary, "The CLI's summary table")
      .def("html", &reports::RenderHtml, "report.html text")
      .def("samples_csv", &reports::RenderSamplesCsv, "samples.csv text")
      .def("write", [](const verify::VerifyResult& r, const std::string& dir) {
        Status s;
        {
          py::gil_scoped_release release;
          s = reports::WriteAll(r, dir);
        }
        ThrowIf<DataError>(s, dir);
      });

  m.def(
      "_verify",
      [](std::string ref, std::vector<std::string> tiny, std::string data_path, py::object x,
         py::object y, std::string labels_path, std::string preprocess, std::string slices_path,
         std::map<std::string, std::vector<std::string>> slices, std::string class_names_path,
         std::vector<std::string> class_names, std::string gate, int64_t limit, int threads,
         std::string kernels, int32_t worst, int32_t csv_label_column) {
        VerifyCall c;
        verify::VerifyRequest& r = c.request;
        r.ref_path = std::move(ref);
        r.tiny_paths = std::move(tiny);
        r.data_path = std::move(data_path);
        r.labels_path = std::move(labels_path);
        r.preprocess = std::move(preprocess);
        r.class_names_path = std::move(class_names_path);
        r.slices_path = std::move(slices_path);
        r.gate = std::move(gate);
        r.limit = limit;
        r.threads = threads;
        r.csv_label_column = csv_label_column;
        r.worst_n = worst;
        c.x = std::move(x);
        c.y = std::move(y);
        c.slices = std::move(slices);
        c.class_names = std::move(class_names);
        c.kernels = std::move(kernels);
        return RunVerify(c);
      },
      py::arg("ref"), py::arg("tiny"), py::arg("data_path"), py::arg("x"), py::arg("y"),
      py::arg("labels_path"), py::arg("preprocess"), py::arg("slices_path"), py::arg("slices"),
      py::arg("class_names_path"), py::arg("class_names"), py::arg("gate"), py::arg("limit"),
      py::arg("threads"), py::arg("kernels"), py::arg("worst"), py::arg("csv_label_column"),
      "Internal: use tinyverify.verify().");
}

}  // namespace py_bindings
}  // namespace tv
