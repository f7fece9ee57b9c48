#include "compress/quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "compare/huffman.h"
#include "compress/quant_math.h"
#include "compress/weight_sharing.h"

namespace tv {
namespace compress {
namespace {

int32_t Find(std::vector<int32_t>& parent, int32_t a) {
  while (parent[static_cast<size_t>(a)] != a)
    a = parent[static_cast<size_t>(a)] =
        parent[static_cast<size_t>(parent[static_cast<size_t>(a)])];
  return a;
}

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Activation parameters. Pooling, reshape, pad, transpose and concatenation must keep their
// input parameters in TFLM, so those tensors form groups quantized with the union range.
Status QuantizeActivations(const CalibrationStats& stats, const CompressOptions& options,
                           LoweredGraph* g) {
  const int32_t n = static_cast<int32_t>(g->tensors.size());
  std::vector<int32_t> parent(static_cast<size_t>(n));
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<bool> fixed(static_cast<size_t>(n), false);
  for (const LOp& op : g->ops) {
    switch (op.code) {
      case OpCode::kMaxPool2D:
      case OpCode::kAveragePool2D:
      case OpCode::kReshape:
      case OpCode::kPad:
      case OpCode::kTranspose:
      case OpCode::kConcatenation:
        for (int32_t in : op.inputs) {
          if (in >= 0 && g->tensors[static_cast<size_t>(in)].role == TensorRole::kActivation) {
            parent[static_cast<size_t>(Find(parent, in))] = Find(parent, op.outputs[0]);
          }
        }
        break;
      case OpCode::kSoftmax:
      case OpCode::kLogistic:
        fixed[static_cast<size_t>(op.outputs[0])] = true;
        break;
      default:
        break;
    }
  }
  std::vector<float> lo(static_cast<size_t>(n), 0.0f), hi(static_cast<size_t>(n), 0.0f);
  std::vector<bool> group_fixed(static_cast<size_t>(n), false);
  for (int32_t t = 0; t < n; ++t) {
    const LTensor& tensor = g->tensors[static_cast<size_t>(t)];
    if (tensor.role != TensorRole::kActivation) continue;
    const size_t root = static_cast<size_t>(Find(parent, t));
    if (fixed[static_cast<size_t>(t)]) group_fixed[root] = true;
    auto it = stats.find(tensor.range_of);
    TV_CHECK_OR_RETURN(it != stats.end(), "no calibration range for tensor '%s'",
                       tensor.name.c_str());
    float a = 0, b = 0;
    ChooseRange(it->second, options.activations, options.percentile, &a, &b);
    lo[root] = std::min(lo[root], a);
    hi[root] = std::max(hi[root], b);
  }
  for (int32_t t = 0; t < n; ++t) {
    LTensor& tensor = g->tensors[static_cast<size_t>(t)];
    if (tensor.role != TensorRole::kActivation) continue;
    const size_t root = static_cast<size_t>(Find(parent, t));
    QuantParams p = AsymmetricInt8(lo[root], hi[root]);
    if (group_fixed[root]) p = {1.0f / 256.0f, -128};  // TFLite's softmax/logistic output
    tensor.type = DataType::kInt8;
    tensor.scales = {p.scale};
    tensor.zero_points = {p.zero_point};
  }
  return Status::Ok();
}

void AddWeightReport(const LTensor& t, CompressReport* report) {
  WeightReport w;
  w.tensor = t.name;
  w.elements = static_cast<int64_t>(t.data.size());
  const std::vector<uint64_t> counts = ByteValueCounts(t.data.data(), t.data.size());
  w.sparsity = w.elements ? static_cast<double>(counts[0]) / static_cast<double>(w.elements) : 0;
  for (uint64_t c : counts) w.unique_values += c > 0 ? 1 : 0;
  w.huffman_bits = HuffmanCodedBits(counts);
  w.entropy_bits = EntropyBits(counts);
  report->huffman_weight_bits += w.huffman_bits;
  report->weights.push_back(w);
}

// Weights (int8 symmetric), bias (int32, scale = sI * sW[c]) of one conv / FC op.
Status QuantizeWeights(const LOp& op, const CompressOptions& options, LoweredGraph* g,
                       CompressReport* report) {
  const LTensor& in = g->tensors[static_cast<size_t>(op.inputs[0])];
  LTensor& w = g->tensors[static_cast<size_t>(op.inputs[1])];
  LTensor& b = g->tensors[static_cast<size_t>(op.inputs[2])];
  const float s_in = in.scales[0];
  const int32_t axis = options.per_channel ? w.channel_axis : -1;
  std::vector<float> scales = SymmetricScales(w.values, w.shape, axis);
  // A bias too large for int32 at scale sI * sW forces a larger weight scale.
  for (size_t c = 0; c < b.values.size(); ++c) {
    float& s = scales[axis < 0 ? 0 : c];
    const double need = std::fabs(static_cast<double>(b.values[c])) / (s_in * 2.0e9);
    if (need > s) s = static_cast<float>(need);
  }
  const std::vector<int32_t> channel = ChannelOfElement(w.shape, axis);
  std::vector<float> normalized(w.values.size());
  for (size_t k = 0; k < w.values.size(); ++k) {
    normalized[k] =
        std::clamp(w.values[k] / scales[static_cast<size_t>(channel[k])], -127.0f, 127.0f);
  }
  std::vector<int8_t> q;
  if (options.cluster_k > 0) {
    q = ClusterToInt8(normalized, options.cluster_k);
  } else {
    for (float v : normalized) q.push_back(SaturateInt8(v));
  }
  w.type = DataType::kInt8;
  w.scales = scales;
  w.zero_points.assign(scales.size(), 0);
  w.quantized_dimension = axis < 0 ? 0 : axis;
  w.data = Bytes(q);
  AddWeightReport(w, report);
  std::vector<int32_t> qb(b.values.size());
  b.scales.resize(b.values.size());
  for (size_t c = 0; c < b.values.size(); ++c) {
    const float sw = scales[axis < 0 ? 0 : c];
    b.scales[c] = s_in * sw;
    const double v =
        std::round(static_cast<double>(b.values[c]) / (static_cast<double>(s_in) * sw));
    qb[c] = static_cast<int32_t>(std::clamp(v, -2147483647.0, 2147483647.0));
  }
  if (axis < 0) b.scales.resize(1);
  b.type = DataType::kInt32;
  b.zero_points.assign(b.scales.size(), 0);
  b.quantized_dimension = 0;
  b.data = Bytes(qb);
  report->float_weight_bytes += static_cast<int64_t>((w.values.size() + b.values.size()) * 4);
  report->int8_weight_bytes += static_cast<int64_t>(w.data.size() + b.data.size());
  return Status::Ok();
}

Status CheckMultipliers(const LOp& op, const LoweredGraph& g) {
  const LTensor& out = g.tensors[static_cast<size_t>(op.outputs[0])];
  const float s_out = out.scales[0];
  auto check = [&](double m, const char* what) -> Status {
    TV_CHECK_OR_RETURN(RepresentableMultiplier(m),
                       "%s (%s): %s multiplier %g is outside what "
                       "TFLM int8 kernels can represent",
                       op.origin.c_str(), OpCodeName(op.code), what, m);
    return Status::Ok();
  };
  if (op.code == OpCode::kConv2D || op.code == OpCode::kDepthwiseConv2D ||
      op.code == OpCode::kFullyConnected) {
    const LTensor& in = g.tensors[static_cast<size_t>(op.inputs[0])];
    for (float sw : g.tensors[static_cast<size_t>(op.inputs[1])].scales) {
      TV_RETURN_IF_ERROR(check(static_cast<double>(in.scales[0]) * sw / s_out, "output"));
    }
  } else if (op.code == OpCode::kAdd) {
    const double s1 = g.tensors[static_cast<size_t>(op.inputs[0])].scales[0];
    const double s2 = g.tensors[static_cast<size_t>(op.inputs[1])].scales[0];
    const double twice_max = 2 * std::max(s1, s2);
    TV_RETURN_IF_ERROR(check(twice_max / (1048576.0 * s_out), "output"));
    TV_CHECK_OR_RETURN(twice_max / (1048576.0 * s_out) < 1.0,
                       "%s (ADD): input/output scales are "
                       "too far apart for TFLM",
                       op.origin.c_str());
  } else if (op.code == OpCode::kMul) {
    const double s1 = g.tensors[static_cast<size_t>(op.inputs[0])].scales[0];
    const double s2 = g.tensors[static_cast<size_t>(op.inputs[1])].scales[0];
    TV_RETURN_IF_ERROR(check(s1 * s2 / s_out, "output"));
  }
  return Status::Ok();
}

}  // namespace

Status QuantizeGraph(const CalibrationStats& stats, const CompressOptions& options, LoweredGraph* g,
                     CompressReport* report) {
  if (options.prune_sparsity > 0) {
    std::vector<std::vector<float>*> weights;
    for (LTensor& t : g->tensors) {
      if (t.role == TensorRole::kWeight) weights.push_back(&t.values);
    }
    const int64_t zeroed = PruneGlobalMagnitude(weights, options.prune_sparsity);
    g->notes.push_back("pruned " + std::to_string(zeroed) + " weights to zero (global magnitude)");
  }
  TV_RETURN_IF_ERROR(QuantizeActivations(stats, options, g));
  for (const LOp& op : g->ops) {
    if (op.code == OpCode::kConv2D || op.code == OpCode::kDepthwiseConv2D ||
        op.code == OpCode::kFullyConnected) {
      TV_RETURN_IF_ERROR(QuantizeWeights(op, options, g, report));
    }
  }
  for (LTensor& t : g->tensors) {
    if (t.role == TensorRole::kConstant) {  // ADD / MUL operand: asymmetric per-tensor int8
      float lo = 0, hi = 0;
      for (float v : t.values) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      const QuantParams p = AsymmetricInt8(lo, hi);
      std::vector<int8_t> q;
      for (float v : t.values) q.push_back(SaturateInt8(v / p.scale + p.zero_point));
      t.type = DataType::kInt8;
      t.scales = {p.scale};
      t.zero_points = {p.zero_point};
      t.data = Bytes(q);
      report->float_weight_bytes += static_cast<int64_t>(t.values.size() * 4);
      report->int8_weight_bytes += static_cast<int64_t>(t.data.size());
    } else if (t.role == TensorRole::kShape) {
      t.data = Bytes(t.int_data);
    }
  }
  for (const LOp& op : g->ops) TV_RETURN_IF_ERROR(CheckMultipliers(op, *g));
  report->operators = static_cast<int32_t>(g->ops.size());
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
