#include "reports/model_info_json.h"

#include <nlohmann/json.hpp>

namespace tv {
namespace reports {

std::string ModelInfoToJson(const ModelInfo& info) {
  nlohmann::json j;
  j["format"] = info.format;
  j["file_bytes"] = info.file_bytes;
  j["description"] = info.description;
  j["subgraphs"] = info.subgraphs;
  j["weight_bytes"] = info.weight_bytes;
  j["parameters"] = info.parameters;
  j["arena_bytes"] = info.arena_bytes;
  j["persistent_bytes"] = info.persistent_bytes;
  j["total_macs"] = info.total_macs;
  j["inputs"] = info.inputs;
  j["outputs"] = info.outputs;
  j["metadata"] = info.metadata;
  j["operators"] = nlohmann::json::array();
  for (const OpInfoRow& op : info.ops) {
    j["operators"].push_back({{"index", op.index},
                              {"op", op.op},
                              {"version", op.version},
                              {"inputs", op.inputs},
                              {"outputs", op.outputs},
                              {"macs", op.macs}});
  }
  j["tensors"] = nlohmann::json::array();
  for (const TensorInfoRow& t : info.tensors) {
    nlohmann::json r = {
        {"index", t.index},         {"name", t.name},   {"dtype", DataTypeName(t.dtype)},
        {"shape", t.shape},         {"bytes", t.bytes}, {"constant", t.is_constant},
        {"variable", t.is_variable}};
    if (!t.scales.empty()) {
      r["quantization"] = {{"scale", t.scales}, {"zero_point", t.zero_points}};
      if (t.quantized_dimension >= 0) r["quantization"]["axis"] = t.quantized_dimension;
    }
    if (t.is_constant) {
      r["sparsity"] = t.sparsity;
      r["unique_values"] = t.unique_values;
      if (t.huffman_bits > 0) {  // entropy-coded size (compare/huffman.h)
        int64_t n = 1;
        for (int64_t d : t.shape) n *= d;
        r["huffman_bits"] = t.huffman_bits;
        r["bits_per_weight"] =
            n > 0 ? static_cast<double>(t.huffman_bits) / static_cast<double>(n) : 0.0;
      }
    }
    j["tensors"].push_back(r);
  }
  // Names come from the model file and need not be UTF-8 (dump() would throw): replace.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace reports
}  // namespace tv
