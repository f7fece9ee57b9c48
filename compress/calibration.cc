#include "compress/calibration.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "reference/onnx_model.h"

namespace tv {
namespace compress {
namespace {

// The model with every float node output (and nothing else) as a graph output.
Status ExposeIntermediates(const onnx::ModelProto& model, std::string* bytes,
                           std::vector<std::string>* names) {
  onnx::ModelProto copy = model;
  onnx::GraphProto* graph = copy.mutable_graph();
  graph->clear_output();
  std::set<std::string> seen;
  for (const auto& node : model.graph().node()) {
    for (const auto& out : node.output()) {
      if (out.empty() || !seen.insert(out).second) continue;
      graph->add_output()->set_name(out);
      names->push_back(out);
    }
  }
  if (!copy.SerializeToString(bytes)) return Status::Error("cannot serialize the model");
  return Status::Ok();
}

void Observe(const float* v, int64_t n, bool first, TensorStats* s) {
  if (n == 0) return;
  float lo = v[0], hi = v[0];
  for (int64_t i = 1; i < n; ++i) {
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  if (first) {
    s->min = lo;
    s->max = hi;
  } else {
    s->min = std::min(s->min, lo);
    s->max = std::max(s->max, hi);
  }
}

void AddToHistogram(const float* v, int64_t n, TensorStats* s) {
  if (s->histogram.empty()) s->histogram.assign(kHistogramBins, 0);
  const double width = (static_cast<double>(s->max) - s->min) / kHistogramBins;
  for (int64_t i = 0; i < n; ++i) {
    int64_t bin = width > 0 ? static_cast<int64_t>((v[i] - s->min) / width) : 0;
    bin = std::clamp<int64_t>(bin, 0, kHistogramBins - 1);
    ++s->histogram[static_cast<size_t>(bin)];
  }
}

}  // namespace

Status Calibrate(const onnx::ModelProto& model, const std::vector<HostTensor>& samples,
                 bool histograms, CalibrationStats* stats) {
  TV_CHECK_OR_RETURN(!samples.empty(), "calibration data: no samples");
  std::string bytes;
  std::vector<std::string> names;
  TV_RETURN_IF_ERROR(ExposeIntermediates(model, &bytes, &names));
  std::unique_ptr<ref::OnnxModel> exec;
  TV_RETURN_IF_ERROR(ref::OnnxModel::LoadFromBytes(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                   bytes.size(), "", &exec));
  TV_CHECK_OR_RETURN(exec->inputs().size() == 1, "the model has %zu inputs; compress supports one",
                     exec->inputs().size());
  const ref::TensorInfo& in = exec->inputs()[0];
  TV_CHECK_OR_RETURN(in.dtype == DataType::kFloat32, "model input '%s' is not float32",
                     in.name.c_str());
  TV_CHECK_OR_RETURN(!in.shape.empty() && (in.shape[0] == 1 || in.shape[0] < 0),
                     "model input '%s' must have batch 1 or a symbolic batch", in.name.c_str());

  const int passes = histograms ? 2 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    for (size_t i = 0; i < samples.size(); ++i) {
      ref::Tensor x;
      x.dtype = DataType::kFloat32;
      x.shape = samples[i].shape;
      if (x.shape.size() + 1 == in.shape.size()) x.shape.insert(x.shape.begin(), 1);
      bool match = samples[i].dtype == DataType::kFloat32 && x.shape.size() == in.shape.size();
      for (size_t d = 1; match && d < in.shape.size(); ++d) {
        match = in.shape[d] < 0 || in.shape[d] == x.shape[d];
      }
      TV_CHECK_OR_RETURN(match && x.shape[0] == 1,
                         "calibration sample %zu: float32 %s does not fit model input '%s' %s", i,
                         ShapeToString(samples[i].shape).c_str(), in.name.c_str(),
                         ShapeToString(in.shape).c_str());
      x.bytes = samples[i].bytes;
      const float* xv = x.data<float>();
      for (int64_t k = 0; k < x.NumElements(); ++k) {
        TV_CHECK_OR_RETURN(std::isfinite(xv[k]), "calibration sample %zu holds NaN or Inf", i);
      }
      std::vector<ref::Tensor> outs;
      Status s = exec->Run({x}, &outs);
      if (!s.ok()) return s.Prefixed(("calibration sample " + std::to_string(i)).c_str());
      for (size_t k = 0; k <= names.size(); ++k) {
        const ref::Tensor& t = k < names.size() ? outs[k] : x;
        const std::string& name = k < names.size() ? names[k] : in.name;
        if (t.dtype != DataType::kFloat32) continue;
        TensorStats& st = (*stats)[name];
        if (pass == 0) {
          if (i == 0) st.shape = t.shape;
          Observe(t.data<float>(), t.NumElements(), i == 0, &st);
        } else {
          AddToHistogram(t.data<float>(), t.NumElements(), &st);
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
