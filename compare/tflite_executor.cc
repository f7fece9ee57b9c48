#include "compare/tflite_executor.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "compare/huffman.h"
#include "emulator/builtin_ops.h"
#ifdef TV_HAVE_OPTIMIZED_KERNELS
#include "emulator/kernels/optimized/optimized_kernels.h"
#endif

namespace tv {

TensorSpec SpecOf(const Tensor& t) {
  TensorSpec s;
  s.name = t.name;
  s.dtype = t.type;
  for (int i = 0; i < t.shape.rank; ++i) s.shape.push_back(t.shape.dims[i]);
  s.quantized = t.quant.quantized;
  s.scale = t.quant.scale;
  s.zero_point = t.quant.zero_point;
  return s;
}

HostTensor HostCopyOf(const Tensor& t) {
  HostTensor h;
  h.dtype = t.type;
  for (int i = 0; i < t.shape.rank; ++i) h.shape.push_back(t.shape.dims[i]);
  if (t.data != nullptr) h.bytes.assign(t.data, t.data + t.bytes);
  return h;
}

Status TfliteExecutor::Open(const std::string& path, const ExecutorOptions& options,
                            std::unique_ptr<TfliteExecutor>* out) {
  auto exec = std::unique_ptr<TfliteExecutor>(new TfliteExecutor());
  TV_RETURN_IF_ERROR(ReadFileBytes(path, &exec->file_));
  TV_RETURN_IF_ERROR(exec->model_.Load(exec->file_.data(), exec->file_.size()));
  InterpreterOptions iopts;
  iopts.flavor = options.kernels;
  iopts.dequantize_hybrid_weights = options.float_reference;
#ifdef TV_HAVE_OPTIMIZED_KERNELS
  iopts.optimized_kernels = optimized::FindOptimizedKernel;
#endif
  TV_RETURN_IF_ERROR(exec->interpreter_.Init(exec->model_, iopts));
  for (int32_t i = 0; i < exec->interpreter_.num_inputs(); ++i)
    exec->inputs_.push_back(SpecOf(*exec->interpreter_.input(i)));
  for (int32_t i = 0; i < exec->interpreter_.num_outputs(); ++i)
    exec->outputs_.push_back(SpecOf(*exec->interpreter_.output(i)));
  *out = std::move(exec);
  return Status::Ok();
}

std::vector<std::string> TfliteExecutor::notes() const {
  const int32_t n = interpreter_.dequantized_weights();
  if (n == 0) return {};
  return {"hybrid (dynamic-range) model: " + std::to_string(n) +
          " int8 weight tensors dequantized to float at load, so it runs as the float model "
          "(TFLite's hybrid kernels approximate this with int8 activations)"};
}

namespace {
class DumpObserver : public NodeObserver {
 public:
  DumpObserver(const Interpreter& interp, const TensorSink& sink) : interp_(interp), sink_(sink) {}
  void AfterNode(const Node& node) override {
    for (int32_t j = 0; j < node.num_outputs; ++j) {
      const int32_t idx = node.outputs[j];
      const Tensor& t = interp_.tensors()[idx];
      sink_(idx, t.name, HostCopyOf(t));
    }
  }

 private:
  const Interpreter& interp_;
  const TensorSink& sink_;
};

// Counts outputs at the int8/int16 limits: one branch-light pass over each produced tensor.
// Built on the stack per Invoke from references only (no allocation per sample).
template <typename Counter>
class SaturationObserver : public NodeObserver {
 public:
  SaturationObserver(const Interpreter& interp, const std::vector<int32_t>& slot,
                     std::vector<Counter>* counters)
      : interp_(interp), slot_(slot), counters_(*counters) {}
  void AfterNode(const Node& node) override {
    for (int32_t j = 0; j < node.num_outputs; ++j) {
      const int32_t idx = node.outputs[j];
      if (idx < 0 || slot_[idx] < 0) continue;
      const Tensor& t = interp_.tensors()[idx];
      Counter& c = counters_[static_cast<size_t>(slot_[idx])];
      if (t.type == DataType::kInt8) {
        Count(t.As<const int8_t>(), t.bytes, &c);
      } else {
        Count(t.As<const int16_t>(), t.bytes / 2, &c);
      }
    }
  }

 private:
  template <typename T>
  static void Count(const T* v, size_t n, Counter* c) {
    int32_t lo = 0, hi = 0;  // lane-width counters so the loop vectorizes (n < 2^31)
    for (size_t i = 0; i < n; ++i) {
      lo += v[i] == std::numeric_limits<T>::min();
      hi += v[i] == std::numeric_limits<T>::max();
    }
    c->values += static_cast<int64_t>(n);
    if (c->count_min) c->at_min += lo;
    c->at_max += hi;
  }
  const Interpreter& interp_;
  const std::vector<int32_t>& slot_;
  std::vector<Counter>& counters_;
};
}  // namespace

void TfliteExecutor::EnableSaturationCounting() {
  if (counting_) return;
  counting_ = true;
  counter_of_tensor_.assign(interpreter_.tensors().size(), -1);
  const std::vector<Node>& nodes = interpreter_.nodes();
  for (size_t k = 0; k < nodes.size(); ++k) {
    const Node& n = nodes[k];
    for (int32_t j = 0; j < n.num_outputs; ++j) {
      const int32_t idx = n.outputs[j];
      if (idx < 0 || counter_of_tensor_[idx] >= 0) continue;
      const Tensor& t = interpreter_.tensors()[idx];
      if (t.type != DataType::kInt8 && t.type != DataType::kInt16) continue;
      counter_of_tensor_[idx] = static_cast<int32_t>(counters_.size());
      Counter c;
      c.tensor = idx;
      c.node = static_cast<int32_t>(k);
      // With the zero point at the type's minimum, that minimum is exactly 0.0: a ReLU floor
      // (fused or not) or a probability of 0, not a clipped activation.
      const int32_t type_min = t.type == DataType::kInt8 ? -128 : -32768;
      c.count_min = !(t.quant.quantized && t.quant.zero_point == type_min);
      counters_.push_back(c);
    }
  }
}

std::vector<SaturationCount> TfliteExecutor::saturation() const {
  std::vector<SaturationCount> out;
  for (const Counter& c : counters_) {
    SaturationCount s;
    s.tensor = interpreter_.tensors()[c.tensor].name;
    s.op = BuiltinOpName(interpreter_.nodes()[c.node].op_code);
    s.values = c.values;
    s.at_min = c.at_min;
    s.at_max = c.at_max;
    out.push_back(s);
  }
  return out;
}

Status TfliteExecutor::Invoke(const std::vector<const HostTensor*>& in,
                              std::vector<HostTensor>* out, const TensorSink* dump) {
  views_.resize(in.size());  // reused, shapes included: no allocation per sample
  for (size_t i = 0; i < in.size(); ++i) {
    TensorView& v = views_[i];
    v.dtype = in[i]->dtype;
    v.shape.assign(in[i]->shape.begin(), in[i]->shape.end());
    v.data = in[i]->bytes.data();
    v.size = in[i]->bytes.size();
  }
  return InvokeViews(views_, out, dump);
}

Status TfliteExecutor::InvokeViews(const std::vector<TensorView>& in, std::vector<HostTensor>* out,
                                   const TensorSink* dump) {
  TV_CHECK_OR_RETURN(in.size() == inputs_.size(), "model has %zu inputs, got %zu", inputs_.size(),
                     in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    Tensor* t = interpreter_.input(static_cast<int32_t>(i));
    TV_CHECK_OR_RETURN(in[i].size == t->bytes, "input %zu '%s': %zu bytes, expected %zu", i,
                       t->name, in[i].size, t->bytes);
    if (t->bytes) std::memcpy(t->data, in[i].data, t->bytes);
  }
  if (dump != nullptr) {
    DumpObserver observer(interpreter_, *dump);
    TV_RETURN_IF_ERROR(interpreter_.Invoke(&observer));
  } else if (counting_) {
    SaturationObserver<Counter> observer(interpreter_, counter_of_tensor_, &counters_);
    TV_RETURN_IF_ERROR(interpreter_.Invoke(&observer));
  } else {
    TV_RETURN_IF_ERROR(interpreter_.Invoke());
  }
  // Copy into the caller's tensors in place: reusing their buffers keeps per-sample loops
  // (verify) free of allocations.
  out->resize(static_cast<size_t>(interpreter_.num_outputs()));
  for (int32_t i = 0; i < interpreter_.num_outputs(); ++i) {
    const Tensor& t = *interpreter_.output(i);
    HostTensor& h = (*out)[static_cast<size_t>(i)];
    h.dtype = t.type;
    h.shape.assign(t.shape.dims, t.shape.dims + t.shape.rank);
    if (t.data != nullptr) {
      h.bytes.assign(t.data, t.data + t.bytes);
    } else {
      h.bytes.clear();
    }
  }
  return Status::Ok();
}

namespace {
// Run lengths of the sorted raw values of a tensor with `U`-sized elements, in value order.
template <typename U>
void CountValues(const Tensor& t, size_t n, int64_t* zeros, std::vector<uint64_t>* freq) {
  std::vector<U> values(n);
  std::memcpy(values.data(), t.data, n * sizeof(U));
  for (U v : values) *zeros += v == 0;
  std::sort(values.begin(), values.end());
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && values[j] == values[i]) ++j;
    freq->push_back(j - i);
    i = j;
  }
}

// Sparsity, distinct values and Huffman-coded size of one constant tensor. Sorting a copy of
// the raw values is O(n log n) with no per-value allocation (a std::map made `verify` spend
// a tenth of its time here on a small CNN).
void WeightStats(const Tensor& t, TensorInfoRow* row) {
  const int64_t n = t.shape.NumElements();
  if (n <= 0 || t.data == nullptr) return;
  const size_t count = static_cast<size_t>(n);
  const size_t elem = DataTypeSize(t.type);
  if (count * elem > t.bytes) return;
  int64_t zeros = 0;
  std::vector<uint64_t> freq;  // occurrences per distinct value, in value order
  switch (elem) {
    case 1: {  // int8 weights, the common case: a histogram beats sorting
      std::vector<uint64_t> hist(256, 0);
      for (size_t i = 0; i < count; ++i) ++hist[t.data[i]];
      zeros = static_cast<int64_t>(hist[0]);
      for (uint64_t h : hist)
        if (h > 0) freq.push_back(h);
      break;
    }
    case 2:
      CountValues<uint16_t>(t, count, &zeros, &freq);
      break;
    case 4:
      CountValues<uint32_t>(t, count, &zeros, &freq);
      break;
    case 8:
      CountValues<uint64_t>(t, count, &zeros, &freq);
      break;
    default:
      return;
  }
  // Distinct values are reported up to kMaxDistinct + 1 ("more than"); the entropy-coded size
  // is only meaningful when there are few (weight-shared or quantized tensors; float weights
  // with more distinct values stay 0 = not computed).
  constexpr size_t kMaxDistinct = 65536;
  row->sparsity = static_cast<double>(zeros) / static_cast<double>(n);
  row->unique_values = static_cast<int64_t>(std::min(freq.size(), kMaxDistinct + 1));
  if (freq.size() <= kMaxDistinct) row->huffman_bits = HuffmanCodedBits(freq);
}
}  // namespace

namespace {

// Inspect data from a model's tensors and nodes: the interpreter's after Prepare, or the
// parsed file's when it cannot be prepared (then MACs are 0).
void FillModelInfo(const Model& model, const std::vector<Tensor>& tensors,
                   const std::vector<Node>& nodes, ModelInfo* info) {
  *info = ModelInfo();
  info->format = "tflite";
  info->file_bytes = model.file_size();
  info->description = model.description();
  info->subgraphs = model.num_subgraphs();
  for (const char* m : model.metadata_names()) info->metadata.push_back(m);
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    TensorInfoRow row;
    row.index = static_cast<int32_t>(i);
    row.name = t.name;
    row.dtype = t.type;
    for (int d = 0; d < t.shape.rank; ++d) row.shape.push_back(t.shape.dims[d]);
    row.is_constant = t.is_constant;
    row.is_variable = t.is_variable;
    row.bytes = t.bytes;
    if (t.quant.quantized) {
      for (int32_t c = 0; c < t.quant.num_channels; ++c) {
        row.scales.push_back(t.quant.scales[c]);
        row.zero_points.push_back(t.quant.zero_points[c]);
      }
      if (t.quant.num_channels > 1) row.quantized_dimension = t.quant.axis;
    }
    if (t.is_constant) {
      WeightStats(t, &row);
      info->weight_bytes += t.bytes;
      info->parameters += static_cast<uint64_t>(t.shape.NumElements());
    }
    info->tensors.push_back(row);
  }
  for (const Node& n : nodes) {
    OpInfoRow op;
    op.index = n.index;
    const char* name = BuiltinOpName(n.op_code);
    op.op = name ? name : "BUILTIN_" + std::to_string(n.op_code);
    op.version = n.version;
    op.inputs.assign(n.inputs, n.inputs + n.num_inputs);
    op.outputs.assign(n.outputs, n.outputs + n.num_outputs);
    op.macs = n.macs;
    info->total_macs += n.macs;
    info->ops.push_back(op);
  }
  info->inputs = model.inputs();
  info->outputs = model.outputs();
}

}  // namespace

Status TfliteExecutor::Inspect(ModelInfo* info) const {
  FillModelInfo(model_, interpreter_.tensors(), interpreter_.nodes(), info);
  info->arena_bytes = interpreter_.arena_bytes();
  info->persistent_bytes = interpreter_.persistent_bytes();
  return Status::Ok();
}

Status InspectUnpreparedTflite(const std::string& path, ModelInfo* info) {
  FileBytes file;
  TV_RETURN_IF_ERROR(ReadFileBytes(path, &file));
  Model model;
  TV_RETURN_IF_ERROR(model.Load(file.data(), file.size()));
  FillModelInfo(model, model.tensors(), model.nodes(), info);
  return Status::Ok();
}

}  // namespace tv
