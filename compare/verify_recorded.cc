// `verify --ref-outputs R.npy --tiny-outputs T.npy`: the analysis on outputs recorded elsewhere.
// Recorded files are whole arrays, read at once (outputs are small: N x classes).
#include <cmath>
#include <filesystem>

#include "compare/input_mapping.h"
#include "compare/npy.h"
#include "compare/verify_pipeline.h"

namespace tv {
namespace verify {

namespace {

// Recorded integer outputs carry no quantization parameters. TFLM's quantized softmax always
// writes scale 1/256 (int8: zero point -128, uint8: 0) or 1/32768 (int16): when the first
// row read that way sums to 1, the file holds probabilities. Returns the scale and zero point,
// or false (the integers are then taken as they are).
bool SoftmaxQuantization(DataType dtype, const std::vector<float>& row, float* scale,
                         int32_t* zero_point) {
  if (dtype == DataType::kInt8 || dtype == DataType::kUInt8) {
    *scale = 1.0f / 256.0f;
    *zero_point = dtype == DataType::kInt8 ? -128 : 0;
  } else if (dtype == DataType::kInt16) {
    *scale = 1.0f / 32768.0f;
    *zero_point = 0;
  } else {
    return false;
  }
  double sum = 0;
  for (float q : row) sum += (q - *zero_point) * static_cast<double>(*scale);
  // Each value is rounded (<= half a step off); one more step for the saturated maximum.
  return row.size() >= 2 && std::fabs(sum - 1.0) <= *scale * (0.5 * row.size() + 1.0);
}

Status ReadOutputs(const std::string& path, std::vector<float>* values, int64_t* n, int64_t* per,
                   std::string* note) {
  HostTensor t;
  TV_RETURN_IF_ERROR(ReadNpy(path, &t).Prefixed(path.c_str()));
  TV_CHECK_OR_RETURN(!t.shape.empty() && t.shape[0] > 0,
                     "%s: recorded outputs must be [N, ...] with N > 0, got %s", path.c_str(),
                     ShapeToString(t.shape).c_str());
  *n = t.shape[0];
  *per = t.NumElements() / *n;
  values->resize(static_cast<size_t>(t.NumElements()));
  TV_RETURN_IF_ERROR(ConvertToFloat(t.dtype, t.bytes.data(), t.NumElements(), values->data())
                         .Prefixed(path.c_str()));
  for (size_t i = 0; i < values->size(); ++i) {
    TV_CHECK_OR_RETURN(std::isfinite((*values)[i]), "%s: sample %lld: value %lld is not finite",
                       path.c_str(), static_cast<long long>(i / static_cast<size_t>(*per)),
                       static_cast<long long>(i % static_cast<size_t>(*per)));
  }
  note->clear();
  float scale = 0;
  int32_t zero_point = 0;
  const std::vector<float> first(values->begin(), values->begin() + *per);
  if (SoftmaxQuantization(t.dtype, first, &scale, &zero_point)) {
    for (float& v : *values) v = (v - zero_point) * scale;
    *note = std::string(DataTypeName(t.dtype)) + " dequantized as a quantized softmax (scale 1/" +
            std::to_string(static_cast<int>(1.0f / scale)) + ", zero point " +
            std::to_string(zero_point) + "): ";
  } else if (t.dtype != DataType::kFloat32 && t.dtype != DataType::kFloat64) {
    *note = std::string(DataTypeName(t.dtype)) + " values as they are (no quantization known): ";
  }
  return Status::Ok();
}

}  // namespace

Status RunRecordedOutputs(const std::string& ref_outputs,
                          const std::vector<std::string>& tiny_outputs,
                          const std::string& labels_path, int64_t limit, const SampleSink& sink,
                          VerifySetup* setup, PipelineInfo* info) {
  TV_CHECK_OR_RETURN(!tiny_outputs.empty(), "--ref-outputs needs at least one --tiny-outputs");
  std::vector<std::string> paths{ref_outputs};
  paths.insert(paths.end(), tiny_outputs.begin(), tiny_outputs.end());
  std::vector<std::vector<float>> values(paths.size());
  std::vector<std::string> notes(paths.size());
  int64_t n = 0, per = 0;
  for (size_t m = 0; m < paths.size(); ++m) {
    int64_t mn = 0, mper = 0;
    TV_RETURN_IF_ERROR(ReadOutputs(paths[m], &values[m], &mn, &mper, &notes[m]));
    if (m == 0) {
      n = mn, per = mper;
    } else {
      TV_CHECK_OR_RETURN(mn == n && mper == per,
                         "%s: %lld samples x %lld values, the reference outputs have %lld x %lld",
                         paths[m].c_str(), static_cast<long long>(mn), static_cast<long long>(mper),
                         static_cast<long long>(n), static_cast<long long>(per));
    }
  }
  std::vector<int64_t> labels;
  std::vector<std::vector<float>> targets;
  if (!labels_path.empty()) {
    TV_RETURN_IF_ERROR(ReadLabelFile(labels_path, &labels, &targets).Prefixed(labels_path.c_str()));
    const size_t count = std::max(labels.size(), targets.size());
    TV_CHECK_OR_RETURN(static_cast<int64_t>(count) == n, "%s: %zu labels for %lld samples",
                       labels_path.c_str(), count, static_cast<long long>(n));
  }
  if (limit >= 0 && limit < n) n = limit;
  setup->data_path = ref_outputs;
  setup->data_format = "outputs";
  setup->threads = 1;
  setup->decisions.push_back("data: recorded outputs, " + std::to_string(n) + " samples x " +
                             std::to_string(per) + " values" +
                             (labels_path.empty() ? ", no labels" : ", labels " + labels_path));
  const bool classification = targets.empty() && per > 1;
  std::vector<bool> softmax(paths.size());
  for (size_t m = 0; m < paths.size(); ++m) {
    std::vector<float> first(values[m].begin(), values[m].begin() + per);
    softmax[m] = classification && LooksLikeLogits(first);
    setup->decisions.push_back(paths[m] + ": " + notes[m] +
                               (!classification ? "raw values"
                                : softmax[m]    ? "logits: softmax applied"
                                                : "probabilities: used as is"));
  }
  setup->ref = ModelSetup();
  setup->ref.path = ref_outputs;
  setup->ref.name = std::filesystem::path(ref_outputs).stem().string();
  setup->tiny.clear();
  for (const std::string& p : tiny_outputs) {
    ModelSetup t;
    t.path = p;
    t.name = std::filesystem::path(p).stem().string();
    setup->tiny.push_back(t);
  }
  SampleOutputs r;
  for (int64_t i = 0; i < n; ++i) {
    r.index = i;
    r.id = std::to_string(i);
    r.label = labels.empty() ? -1 : labels[static_cast<size_t>(i)];
    r.target = targets.empty() ? std::vector<float>() : targets[static_cast<size_t>(i)];
    r.tiny.resize(tiny_outputs.size());
    for (size_t m = 0; m < paths.size(); ++m) {
      std::vector<float>& dst = m == 0 ? r.ref : r.tiny[m - 1];
      dst.assign(values[m].begin() + i * per, values[m].begin() + (i + 1) * per);
      if (softmax[m]) Softmax(&dst);
    }
    TV_RETURN_IF_ERROR(sink(r));
  }
  info->samples = n;
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
