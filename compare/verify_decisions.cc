#include "compare/verify_decisions.h"

#include <cstdio>

namespace tv {
namespace verify {

Preprocess DefaultPreprocess(const Dataset& ds, const Executor& tiny,
                             std::vector<std::string>* decisions) {
  Preprocess pre;
  const TensorSpec& in = tiny.inputs()[0];
  if (!ds.integer_pixels()) {
    decisions->push_back("preprocess: none (values fed as stored; use --preprocess to scale)");
    return pre;
  }
  if (in.quantized && in.scale > 0) {
    const int32_t qmax = in.dtype == DataType::kUInt8   ? 255
                         : in.dtype == DataType::kInt16 ? 32767
                                                        : 127;
    const double hi = (qmax - in.zero_point) * static_cast<double>(in.scale);
    if (hi < 2.0) {
      pre.scale = 1.0f / 255.0f;
      char buf[240];
      std::snprintf(buf, sizeof(buf),
                    "preprocess: scale=1/255 (uint8 pixels 0..255, but the tiny model's input "
                    "covers at most %.3g, so it expects 0..1; pass --preprocess scale=1 to feed "
                    "0..255)",
                    hi);
      decisions->push_back(buf);
      return pre;
    }
  }
  decisions->push_back(
      "preprocess: none (uint8 pixels fed as 0..255; pass --preprocess "
      "scale=1/255 if the models expect 0..1)");
  return pre;
}

const char* EndsInSoftmax(const ModelInfo& info) {
  if (info.ops.empty()) return nullptr;
  const OpInfoRow* producer = nullptr;
  if (info.format == "tflite" && !info.outputs.empty()) {
    for (const OpInfoRow& op : info.ops)
      for (int32_t t : op.outputs)
        if (t == info.outputs[0]) producer = &op;
  } else {
    producer = &info.ops.back();  // ONNX rows carry no tensor ids; the last node in order
  }
  if (producer == nullptr) return nullptr;
  if (producer->op == "SOFTMAX" || producer->op == "Softmax") return "the graph ends in softmax";
  return nullptr;
}

bool IsReconstruction(const TensorSpec& ref_input, size_t ref_output_values,
                      const ModelInfo& ref_info) {
  int64_t input_values = 1;
  for (int64_t d : ref_input.shape) input_values *= d < 1 ? 1 : d;
  return ref_output_values > 2 && static_cast<int64_t>(ref_output_values) == input_values &&
         EndsInSoftmax(ref_info) == nullptr;
}

}  // namespace verify
}  // namespace tv
