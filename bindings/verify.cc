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
#include "compare/slices.h"
#include "compare/verify_files.h"
#include "compare/verify_pipeline.h"
#include "compare/verify_result.h"
#include "reports/report_writer.h"

namespace py = pybind11;

namespace tv {
namespace py_bindings {

namespace {

struct VerifyCall {
  std::string ref;
  std::vector<std::string> tiny;
  std::string data_path;  // file data (empty with arrays)
  py::object x, y;        // numpy data (None with a path)
  std::string labels_path;
  std::string preprocess;
  std::string slices_path;
  std::map<std::string, std::vector<std::string>> slices;
  std::string class_names_path;
  std::vector<std::string> class_names;
  std::string gate;
  int64_t limit = -1;
  int threads = 0;
  std::string kernels = "optimized";
  int32_t worst = 20;
  int32_t csv_label_column = -2;
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
  if (names(c.ref)) throw ModelError(msg);
  for (const std::string& t : c.tiny)
    if (names(t)) throw ModelError(msg);
  if (names(c.data_path) || names(c.labels_path)) throw DataError(msg);
  throw Error(msg);
}

verify::VerifyResult RunVerify(const VerifyCall& c) {
  verify::AnalysisConfig config;
  config.worst_n = c.worst;
  config.class_names = c.class_names;
  config.slices = c.slices;
  if (!c.class_names_path.empty())
    ThrowIf<DataError>(verify::ReadClassNames(c.class_names_path, &config.class_names), "");
  if (!c.slices_path.empty())
    ThrowIf<DataError>(verify::LoadSlices(c.slices_path, &config.slices), "");

  verify::VerifyOptions o;
  o.ref_path = c.ref;
  o.tiny_paths = c.tiny;
  o.data_path = c.data_path;
  o.dataset.labels_path = c.labels_path;
  o.dataset.csv_label_column = c.csv_label_column;
  o.limit = c.limit;
  o.preprocess = c.preprocess;
  o.threads = c.threads;
  o.kernels = ParseKernelOptions(c.kernels, 1).kernels;

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
    o.data = arrays.get();
    o.data_path = "<numpy array>";
  }

  std::unique_ptr<verify::Analyzer> analyzer;
  verify::PipelineInfo info;
  verify::VerifySetup setup;
  const int32_t variants = static_cast<int32_t>(c.tiny.size());
  verify::SampleSink sink = [&](const verify::SampleOutputs& s) {
    if (!analyzer) {
      if (config.class_names.empty()) config.class_names = info.class_names;
      analyzer = std::make_unique<verify::Analyzer>(config, variants);
    }
    return analyzer->Add(s);
  };
  verify::VerifyResult result;
  Status s;
  {
    py::gil_scoped_release release;
    s = verify::RunVerifyPipeline(o, sink, &setup, &info);
    if (s.ok() && analyzer) s = analyzer->Finish(setup, &result);
  }
  if (!s.ok()) ThrowPipelineError(s, c);
  if (!analyzer) throw DataError(setup.data_path + ": no samples");
  if (!c.gate.empty()) ThrowIf<GateError>(verify::EvaluateGates(c.gate, &result), "--gate");
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
        VerifyCall c{std::move(ref),
                     std::move(tiny),
                     std::move(data_path),
                     std::move(x),
                     std::move(y),
                     std::move(labels_path),
                     std::move(preprocess),
                     std::move(slices_path),
                     std::move(slices),
                     std::move(class_names_path),
                     std::move(class_names),
                     std::move(gate),
                     limit,
                     threads,
                     std::move(kernels),
                     worst,
                     csv_label_column};
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
