#include "compare/analysis_profile.h"

#include <algorithm>

namespace tv {
namespace verify {

CompressionProfile BuildCompressionProfile(const ModelInfo& info) {
  CompressionProfile p;
  p.format = info.format;
  p.file_bytes = info.file_bytes;
  p.parameters = info.parameters;
  p.weight_bytes = info.weight_bytes;
  p.arena_bytes = info.arena_bytes;
  p.macs = info.total_macs;
  double zeros = 0.0, elements_total = 0.0;
  uint64_t huffman_bits = 0;
  bool all_coded = true;
  for (const TensorInfoRow& t : info.tensors) {
    if (!t.is_constant) continue;
    uint64_t elements = 1;
    for (int64_t d : t.shape) elements *= static_cast<uint64_t>(std::max<int64_t>(d, 0));
    CompressionProfile::Tensor row;
    row.name = t.name;
    row.elements = elements;
    row.bytes = t.bytes;
    row.sparsity = t.sparsity;
    row.unique_values = t.unique_values;
    if (t.huffman_bits > 0 && elements > 0) {
      row.huffman_bits_per_weight =
          static_cast<double>(t.huffman_bits) / static_cast<double>(elements);
      huffman_bits += t.huffman_bits;
    } else if (elements > 0) {
      all_coded = false;
    }
    zeros += t.sparsity * static_cast<double>(elements);
    elements_total += static_cast<double>(elements);
    p.tensors.push_back(row);
  }
  p.sparsity = elements_total > 0 ? zeros / elements_total : 0.0;
  // A bound only makes sense when every weight tensor was entropy-coded.
  p.huffman_bytes = (all_coded && huffman_bits > 0) ? (huffman_bits + 7) / 8 : 0;
  return p;
}

void FillSaturation(const ModelSetup& tiny, VariantResult* out) {
  out->input_clip_fraction = tiny.input_values > 0 ? static_cast<double>(tiny.input_clipped) /
                                                         static_cast<double>(tiny.input_values)
                                                   : 0.0;
  for (const LayerSaturation& s : tiny.saturation) {
    SaturationRow row;
    row.tensor = s.tensor;
    row.op = s.op;
    row.values = s.values;
    const double values = static_cast<double>(std::max<int64_t>(1, s.values));
    row.pinned_fraction = static_cast<double>(s.at_min + s.at_max) / values;
    row.at_max_fraction = static_cast<double>(s.at_max) / values;
    row.at_min_fraction = static_cast<double>(s.at_min) / values;
    out->saturation.push_back(row);
  }
  std::stable_sort(out->saturation.begin(), out->saturation.end(),
                   [](const SaturationRow& a, const SaturationRow& b) {
                     if (a.at_max_fraction != b.at_max_fraction) {
                       return a.at_max_fraction > b.at_max_fraction;
                     }
                     return a.pinned_fraction > b.pinned_fraction;
                   });
}

}  // namespace verify
}  // namespace tv
