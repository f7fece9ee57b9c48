#include "compress/compress.h"

#include <cstdlib>

#include "compress/calibration.h"
#include "compress/onnx_import.h"
#include "compress/quantizer.h"
#include "compress/tflite_writer.h"
#include "reference/tensor_proto.h"

namespace tv {
namespace compress {

Status ParseRangeMethod(const std::string& text, CompressOptions* options) {
  if (text == "minmax") {
    options->activations = RangeMethod::kMinMax;
  } else if (text == "mse") {
    options->activations = RangeMethod::kMse;
  } else if (text.rfind("percentile:", 0) == 0) {
    char* end = nullptr;
    const std::string number = text.substr(11);
    const double p = std::strtod(number.c_str(), &end);
    TV_CHECK_OR_RETURN(!number.empty() && end && *end == '\0' && p > 50.0 && p <= 100.0,
                       "--activations %s: percentile must be in (50, 100]", text.c_str());
    options->activations = RangeMethod::kPercentile;
    options->percentile = p;
  } else {
    return Status::Error("--activations '%s': expected minmax, mse or percentile:P", text.c_str());
  }
  return Status::Ok();
}

namespace {

// Later stages work on the in-memory model only: external-data initializers become raw_data.
Status InlineExternalData(const std::string& base_dir, onnx::ModelProto* model) {
  for (auto& init : *model->mutable_graph()->mutable_initializer()) {
    if (init.data_location() != onnx::TensorProto::EXTERNAL) continue;
    ref::Tensor t;
    TV_RETURN_IF_ERROR(ref::DecodeTensorProto(init, base_dir, int64_t{1} << 32, &t));
    init.clear_external_data();
    init.set_data_location(onnx::TensorProto::DEFAULT);
    init.set_raw_data(t.bytes.data(), t.bytes.size());
  }
  return Status::Ok();
}

}  // namespace

Status Compress(const std::string& onnx_bytes, const std::vector<HostTensor>& calibration,
                const CompressOptions& options, std::string* tflite, CompressReport* report) {
  TV_CHECK_OR_RETURN(options.prune_sparsity >= 0.0 && options.prune_sparsity < 1.0,
                     "--prune %g: sparsity must be in [0, 1)", options.prune_sparsity);
  TV_CHECK_OR_RETURN(options.cluster_k == 0 || (options.cluster_k >= 2 && options.cluster_k <= 256),
                     "--cluster %d: K must be in [2, 256]", options.cluster_k);
  onnx::ModelProto model;
  TV_CHECK_OR_RETURN(!onnx_bytes.empty() && model.ParseFromString(onnx_bytes),
                     "not a valid ONNX model (protobuf parse failed)");
  TV_CHECK_OR_RETURN(model.has_graph() && model.graph().node_size() > 0, "the ONNX graph is empty");
  TV_RETURN_IF_ERROR(InlineExternalData(options.base_dir, &model));
  CalibrationStats stats;
  TV_RETURN_IF_ERROR(
      Calibrate(model, calibration, options.activations != RangeMethod::kMinMax, &stats));
  LoweredGraph graph;
  TV_RETURN_IF_ERROR(LowerOnnx(model, stats, &graph));
  TV_RETURN_IF_ERROR(QuantizeGraph(stats, options, &graph, report));
  report->notes = graph.notes;
  return WriteTflite(graph, options.description, tflite);
}

}  // namespace compress
}  // namespace tv
