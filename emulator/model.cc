#include "emulator/model.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <cstring>

#include "emulator/builtin_ops.h"
#include "emulator/schema/tflite_subset_generated.h"

namespace tv {

namespace {

// Per-tensor byte ceiling: far above any microcontroller model, low enough that a hostile
// shape cannot make the planner request an absurd arena.
constexpr int64_t kMaxTensorBytes = int64_t{1} << 30;
constexpr size_t kMaxVerifierBytes = (size_t{1} << 31) - 1;

const char* TensorName(const tflite::Tensor* t) {
  return (t->name() != nullptr) ? t->name()->c_str() : "";
}

// The verifier only guarantees 4-byte alignment of vector data, so int64 elements are read
// byte-wise (an 8-byte load from a 4-aligned address is undefined behaviour). TFLM narrows
// zero points to int32.
int32_t ZeroPointAt(const tflite::QuantizationParameters* q, uint32_t i) {
  int64_t v = 0;
  std::memcpy(&v, q->zero_point()->Data() + sizeof(int64_t) * i, sizeof(v));
  return static_cast<int32_t>(v);
}

bool IsKnownType(int8_t t) { return t >= 0 && t <= static_cast<int8_t>(DataType::kBFloat16); }

}  // namespace

Status Model::Load(const uint8_t* data, size_t size) {
  data_ = data;
  size_ = size;
  TV_CHECK_OR_RETURN(data != nullptr && size >= 8, "file is too small to be a .tflite model (%zu bytes)",
                     size);
  TV_CHECK_OR_RETURN(flatbuffers::BufferHasIdentifier(data, tflite::ModelIdentifier()),
                     "not a .tflite model (file identifier is not TFL3)");
  flatbuffers::Verifier::Options opts;
  opts.max_depth = 64;
  opts.max_tables = 10'000'000;
  flatbuffers::Verifier verifier(data, size < kMaxVerifierBytes ? size : kMaxVerifierBytes, opts);
  TV_CHECK_OR_RETURN(tflite::VerifyModelBuffer(verifier),
                     "corrupt flatbuffer: structure verification failed (truncated or damaged file)");
  fb_ = tflite::GetModel(data);
  schema_version_ = fb_->version();
  if (fb_->description() != nullptr) description_ = fb_->description()->c_str();
  TV_CHECK_OR_RETURN(fb_->subgraphs() != nullptr && fb_->subgraphs()->size() > 0,
                     "model has no subgraphs");
  num_subgraphs_ = static_cast<int32_t>(fb_->subgraphs()->size());
  TV_CHECK_OR_RETURN(fb_->buffers() != nullptr, "model has no buffer table");
  if (fb_->metadata() != nullptr) {
    for (const tflite::Metadata* m : *fb_->metadata()) {
      TV_CHECK_OR_RETURN(m->buffer() < fb_->buffers()->size(),
                         "metadata entry points at buffer %u, but the model has %u buffers",
                         m->buffer(), fb_->buffers()->size());
      metadata_names_.push_back(m->name() ? m->name()->c_str() : "");
    }
  }
  TV_RETURN_IF_ERROR(LoadOperatorCodes());
  TV_RETURN_IF_ERROR(LoadTensors());
  return LoadNodes();
}

Status Model::LoadOperatorCodes() {
  if (fb_->operator_codes() == nullptr) return Status::Ok();
  int32_t i = 0;
  for (const tflite::OperatorCode* oc : *fb_->operator_codes()) {
    OperatorInfo info;
    int32_t deprecated = oc->deprecated_builtin_code();
    int32_t code = oc->builtin_code();
    info.op_code = code > deprecated ? code : deprecated;
    info.version = oc->version();
    TV_CHECK_OR_RETURN(info.op_code >= 0 && info.op_code <= op::kMaxKnownBuiltin,
                       "operator code %d is not a known builtin operator (opcode entry %d)",
                       info.op_code, i);
    if (info.op_code == op::kCustom) {
      TV_CHECK_OR_RETURN(oc->custom_code() != nullptr,
                         "CUSTOM operator without a custom_code name (opcode entry %d)", i);
      info.custom_code = oc->custom_code()->c_str();
    }
    op_codes_.push_back(info);
    ++i;
  }
  return Status::Ok();
}

Status Model::LoadTensors() {
  const tflite::SubGraph* sg = fb_->subgraphs()->Get(0);
  const auto* fb_tensors = sg->tensors();
  const size_t n = fb_tensors ? fb_tensors->size() : 0;
  tensors_.resize(n);
  const auto* buffers = fb_->buffers();
  for (size_t i = 0; i < n; ++i) {
    const tflite::Tensor* ft = fb_tensors->Get(static_cast<flatbuffers::uoffset_t>(i));
    Tensor& t = tensors_[i];
    t.name = TensorName(ft);
    const int8_t raw_type = static_cast<int8_t>(ft->type());
    TV_CHECK_OR_RETURN(IsKnownType(raw_type), "tensor %zu '%s' has unknown type %d", i, t.name,
                       raw_type);
    t.type = static_cast<DataType>(raw_type);
    TV_CHECK_OR_RETURN(ft->sparsity() == nullptr,
                       "tensor %zu '%s' is sparse; sparse tensors are not supported (TFLM has no "
                       "sparse kernels)", i, t.name);
    if (ft->shape() != nullptr) {
      TV_CHECK_OR_RETURN(ft->shape()->size() <= static_cast<uint32_t>(kMaxDims),
                         "tensor %zu '%s' has rank %u (maximum %d)", i, t.name,
                         ft->shape()->size(), kMaxDims);
      t.shape.rank = static_cast<int32_t>(ft->shape()->size());
      for (int32_t d = 0; d < t.shape.rank; ++d) t.shape.dims[d] = ft->shape()->Get(d);
    }
    int64_t elements = 1;
    for (int32_t d = 0; d < t.shape.rank; ++d) {
      const int32_t dim = t.shape.dims[d];
      TV_CHECK_OR_RETURN(dim >= 0, "tensor %zu '%s' has dynamic or negative dimension %d (axis %d)",
                         i, t.name, dim, d);
      elements *= dim;
      TV_CHECK_OR_RETURN(elements <= kMaxTensorBytes, "tensor %zu '%s' has absurd shape (more "
                         "than %lld elements)", i, t.name, static_cast<long long>(kMaxTensorBytes));
    }
    const size_t elem = DataTypeSize(t.type);
    const int64_t bytes = t.type == DataType::kInt4 ? (elements + 1) / 2
                                                     : elements * static_cast<int64_t>(elem);
    TV_CHECK_OR_RETURN(elem != 0 || t.type == DataType::kInt4,
                       "tensor %zu '%s' has type %s, which tinyverify does not support", i, t.name,
                       DataTypeName(t.type));
    TV_CHECK_OR_RETURN(bytes <= kMaxTensorBytes, "tensor %zu '%s' is too large (%lld bytes)", i,
                       t.name, static_cast<long long>(bytes));
    t.bytes = static_cast<size_t>(bytes);
    t.is_variable = ft->is_variable();

    TV_CHECK_OR_RETURN(ft->buffer() < buffers->size(),
                       "tensor %zu '%s' refers to buffer %u, but the model has %u buffers", i,
                       t.name, ft->buffer(), buffers->size());
    const tflite::Buffer* buf = buffers->Get(ft->buffer());
    const uint8_t* src = nullptr;
    size_t src_size = 0;
    if (buf->data() != nullptr && buf->data()->size() > 0) {
      src = buf->data()->data();
      src_size = buf->data()->size();
    } else if (buf->offset() > 1) {
      // Large-model layout: constant data appended after the flatbuffer.
      TV_CHECK_OR_RETURN(buf->offset() <= size_ && buf->size() <= size_ - buf->offset(),
                         "tensor %zu '%s': buffer %u points outside the file (offset %llu, size "
                         "%llu, file %zu bytes)", i, t.name, ft->buffer(),
                         static_cast<unsigned long long>(buf->offset()),
                         static_cast<unsigned long long>(buf->size()), size_);
      if (buf->size() > 0) {
        src = data_ + buf->offset();
        src_size = static_cast<size_t>(buf->size());
      }
    }
    if (src != nullptr && !t.is_variable) {
      TV_CHECK_OR_RETURN(src_size == t.bytes,
                         "tensor %zu '%s': constant buffer %u holds %zu bytes, but shape and type "
                         "need %zu", i, t.name, ft->buffer(), src_size, t.bytes);
      t.is_constant = true;
      t.data = const_cast<uint8_t*>(src);  // never written: kernels receive const views
      constant_bytes_ += t.bytes;
    }
    TV_RETURN_IF_ERROR(LoadQuantization(i, &t));
  }
  // Per-channel arrays are final now; hand out stable pointers.
  size_t offset = 0;
  for (Tensor& t : tensors_) {
    if (t.quant.num_channels > 0) {
      t.quant.scales = channel_scales_.data() + offset;
      t.quant.zero_points = channel_zero_points_.data() + offset;
      offset += static_cast<size_t>(t.quant.num_channels);
    }
  }
  return Status::Ok();
}

Status Model::LoadQuantization(size_t index, Tensor* t) {
  const tflite::Tensor* ft = fb_->subgraphs()->Get(0)->tensors()->Get(
      static_cast<flatbuffers::uoffset_t>(index));
  const tflite::QuantizationParameters* q = ft->quantization();
  if (q == nullptr || q->scale() == nullptr || q->zero_point() == nullptr ||
      q->scale()->size() == 0 || q->zero_point()->size() == 0) {
    return Status::Ok();  // TFLM: not quantized unless both arrays are present and non-empty
  }
  TV_CHECK_OR_RETURN(q->details_type() == tflite::QuantizationDetails::NONE,
                     "tensor %zu '%s' uses custom/blockwise quantization, which TFLM does not "
                     "support", index, t->name);
  const uint32_t n = q->scale()->size();
  const uint32_t nz = q->zero_point()->size();
  TV_CHECK_OR_RETURN(nz == n || nz == 1,
                     "tensor %zu '%s' has %u scales but %u zero points", index, t->name, n, nz);
  t->quant.quantized = true;
  t->quant.scale = q->scale()->Get(0);
  t->quant.zero_point = ZeroPointAt(q, 0);
  t->quant.axis = q->quantized_dimension();
  t->quant.num_channels = static_cast<int32_t>(n);
  // The quantized_dimension is not validated here: converters write per-channel biases with
  // the filter's axis (e.g. 3 on a 1-D bias), which TFLM accepts. Kernels that consume
  // per-channel parameters check the channel count against their own channel axis.
  // LSTM intermediates carry one scale on a [0]-shaped tensor, hence the max(.., 1).
  TV_CHECK_OR_RETURN(static_cast<int64_t>(n) <= std::max<int64_t>(t->shape.NumElements(), 1),
                     "tensor %zu '%s' has %u quantization scales for %lld elements", index,
                     t->name, n, static_cast<long long>(t->shape.NumElements()));
  for (uint32_t c = 0; c < n; ++c) {
    channel_scales_.push_back(q->scale()->Get(c));
    channel_zero_points_.push_back(ZeroPointAt(q, nz == n ? c : 0));
  }
  return Status::Ok();
}

Status Model::CheckIndices(const char* what, int32_t node, const int32_t* idx, int32_t n,
                           bool allow_omitted) const {
  const int32_t nt = static_cast<int32_t>(tensors_.size());
  for (int32_t k = 0; k < n; ++k) {
    if (allow_omitted && idx[k] == -1) continue;
    TV_CHECK_OR_RETURN(idx[k] >= 0 && idx[k] < nt,
                       "operator %d: %s %d refers to tensor %d, but the subgraph has %d tensors",
                       node, what, k, idx[k], nt);
  }
  return Status::Ok();
}

namespace {
template <typename V>
void ViewOf(const V* v, const int32_t** ptr, int32_t* n) {
  *ptr = (v != nullptr) ? v->data() : nullptr;
  *n = (v != nullptr) ? static_cast<int32_t>(v->size()) : 0;
}
}  // namespace

Status Model::LoadNodes() {
  const tflite::SubGraph* sg = fb_->subgraphs()->Get(0);
  const int32_t nt = static_cast<int32_t>(tensors_.size());
  for (const char* which : {"input", "output"}) {
    const auto* v = (which[0] == 'i') ? sg->inputs() : sg->outputs();
    std::vector<int32_t>& dst = (which[0] == 'i') ? inputs_ : outputs_;
    if (v == nullptr) continue;
    for (int32_t idx : *v) {
      TV_CHECK_OR_RETURN(idx >= 0 && idx < nt, "graph %s refers to tensor %d, but the subgraph "
                         "has %d tensors", which, idx, nt);
      dst.push_back(idx);
    }
  }
  TV_CHECK_OR_RETURN(!outputs_.empty(), "subgraph 0 has no outputs");

  // Which tensors hold a value before operator k runs: graph inputs, constants, variables.
  std::vector<uint8_t> ready(tensors_.size(), 0);
  for (int32_t idx : inputs_) ready[idx] = 1;
  for (size_t i = 0; i < tensors_.size(); ++i)
    if (tensors_[i].is_constant || tensors_[i].is_variable) ready[i] = 1;

  const auto* ops = sg->operators();
  const int32_t n = ops ? static_cast<int32_t>(ops->size()) : 0;
  nodes_.resize(static_cast<size_t>(n));
  for (int32_t k = 0; k < n; ++k) {
    const tflite::Operator* fop = ops->Get(static_cast<flatbuffers::uoffset_t>(k));
    Node& node = nodes_[k];
    node.index = k;
    node.op = fop;
    TV_CHECK_OR_RETURN(fop->opcode_index() < op_codes_.size(),
                       "operator %d uses opcode index %u, but the model has %zu operator codes", k,
                       fop->opcode_index(), op_codes_.size());
    node.op_code = op_codes_[fop->opcode_index()].op_code;
    node.version = op_codes_[fop->opcode_index()].version;
    ViewOf(fop->inputs(), &node.inputs, &node.num_inputs);
    ViewOf(fop->outputs(), &node.outputs, &node.num_outputs);
    ViewOf(fop->intermediates(), &node.intermediates, &node.num_intermediates);
    TV_RETURN_IF_ERROR(CheckIndices("input", k, node.inputs, node.num_inputs, true));
    TV_RETURN_IF_ERROR(CheckIndices("output", k, node.outputs, node.num_outputs, false));
    TV_RETURN_IF_ERROR(
        CheckIndices("intermediate", k, node.intermediates, node.num_intermediates, false));
    for (int32_t j = 0; j < node.num_inputs; ++j) {
      const int32_t idx = node.inputs[j];
      TV_CHECK_OR_RETURN(idx == -1 || ready[idx],
                         "operator %d reads tensor %d '%s' before any operator produces it "
                         "(graph is not in execution order, or the tensor is dangling)",
                         k, idx, tensors_[idx].name);
    }
    for (int32_t j = 0; j < node.num_outputs; ++j) {
      const int32_t idx = node.outputs[j];
      TV_CHECK_OR_RETURN(!tensors_[idx].is_constant,
                         "operator %d writes into constant tensor %d '%s'", k, idx,
                         tensors_[idx].name);
      TV_CHECK_OR_RETURN(!ready[idx] || tensors_[idx].is_variable,
                         "operator %d writes tensor %d '%s', which already holds a value", k, idx,
                         tensors_[idx].name);
      ready[idx] = 1;
    }
  }
  for (int32_t idx : outputs_) {
    TV_CHECK_OR_RETURN(ready[idx], "graph output tensor %d '%s' is never produced", idx,
                       tensors_[idx].name);
  }
  return Status::Ok();
}

}  // namespace tv
