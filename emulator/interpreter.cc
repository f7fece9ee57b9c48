#include "emulator/interpreter.h"

#include <cstring>

#include "emulator/builtin_ops.h"
#include "emulator/registry.h"
#include "emulator/schema/tflite_subset_generated.h"

namespace tv {

namespace {

constexpr size_t kGuardBytes = 64;
constexpr uint8_t kGuardValue = 0xA5;

// Ops whose float activations with int8 constant weights mean hybrid (dynamic-range)
// quantization, which TFLM has no kernels for.
bool IsWeightOp(int32_t code) {
  return code == op::kConv2D || code == op::kDepthwiseConv2D || code == op::kFullyConnected ||
         code == op::kTransposeConv || code == op::kSvdf ||
         code == op::kUnidirectionalSequenceLstm || code == op::kBatchMatmul;
}

// Float copy of an int8/uint8 constant: (q - zero_point) * scale, per channel along the
// quantized axis when the tensor has per-channel parameters.
Status DequantizeConstant(PersistentAllocator& alloc, Tensor* t) {
  const Quantization& q = t->quant;
  if (!q.quantized)
    return Status::Error("its weights '%s' have no quantization parameters", t->name);
  const int64_t n = static_cast<int64_t>(t->bytes);  // one byte per element
  auto* out = static_cast<float*>(alloc.Allocate(static_cast<size_t>(n) * sizeof(float)));
  if (out == nullptr) return Status::Error("out of memory dequantizing '%s'", t->name);
  int64_t inner = 1, channels = 1;
  if (q.num_channels > 1) {
    if (q.axis < 0 || q.axis >= t->shape.rank || t->shape.dims[q.axis] != q.num_channels)
      return Status::Error("weights '%s' have %d channel scales that do not match axis %d", t->name,
                           q.num_channels, q.axis);
    channels = q.num_channels;
    for (int32_t d = q.axis + 1; d < t->shape.rank; ++d) inner *= t->shape.dims[d];
  }
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = channels > 1 ? (i / inner) % channels : 0;
    const float scale = channels > 1 ? q.scales[c] : q.scale;
    const int32_t zero = channels > 1 && q.zero_points != nullptr ? q.zero_points[c] : q.zero_point;
    const int32_t v = t->type == DataType::kInt8 ? static_cast<int32_t>(t->As<int8_t>()[i])
                                                 : static_cast<int32_t>(t->As<uint8_t>()[i]);
    out[i] = static_cast<float>(v - zero) * scale;
  }
  t->type = DataType::kFloat32;
  t->data = reinterpret_cast<uint8_t*>(out);
  t->bytes = static_cast<size_t>(n) * sizeof(float);
  t->quant = Quantization();
  return Status::Ok();
}

}  // namespace

void DescribeNode(const Node& node, const Model& model, char* buf, size_t size) {
  const char* name = BuiltinOpName(node.op_code);
  const tflite::Operator* fop = node.op;
  if (node.op_code == op::kCustom && fop != nullptr) {
    const char* custom = model.operator_codes()[fop->opcode_index()].custom_code;
    std::snprintf(buf, size, "operator %d (CUSTOM '%s')", node.index, custom ? custom : "");
  } else if (name != nullptr) {
    std::snprintf(buf, size, "operator %d (%s)", node.index, name);
  } else {
    std::snprintf(buf, size, "operator %d (builtin code %d)", node.index, node.op_code);
  }
}

void* Interpreter::HeapAllocator::Allocate(size_t bytes) {
  // Over-allocate so the returned block can be aligned to 16 bytes.
  std::unique_ptr<uint8_t[]> block(new (std::nothrow) uint8_t[bytes + 16]());
  if (!block) return nullptr;
  uintptr_t p = reinterpret_cast<uintptr_t>(block.get());
  p = (p + 15) & ~uintptr_t{15};
  blocks_.push_back(std::move(block));
  total_ += bytes;
  return reinterpret_cast<void*>(p);
}

Status Interpreter::Init(const Model& model, const InterpreterOptions& options) {
  model_ = &model;
  options_ = options;
  tensors_ = model.tensors();
  nodes_ = model.nodes();
  TV_RETURN_IF_ERROR(ResolveAndPrepare());
  TV_RETURN_IF_ERROR(PlanAndAllocate());
  ResetVariables();
  return Status::Ok();
}

Status Interpreter::ResolveAndPrepare() {
  char label[96];
  kernels_.resize(nodes_.size());
  evals_.resize(nodes_.size());
  for (Node& node : nodes_) {
    DescribeNode(node, *model_, label, sizeof(label));
    if (node.op_code == op::kCustom) {
      return Status::Error(
          "%s: custom operators are not supported (only TFLM builtin ops are "
          "emulated)",
          label);
    }
    if (IsWeightOp(node.op_code) && node.num_inputs > 1 && node.inputs[0] >= 0) {
      const Tensor& in = tensors_[node.inputs[0]];
      for (int32_t j = 1; j < node.num_inputs; ++j) {
        if (node.inputs[j] < 0) continue;
        Tensor& w = tensors_[node.inputs[j]];
        const bool hybrid =
            in.type == DataType::kFloat32 && w.is_constant &&
            (w.type == DataType::kInt8 || w.type == DataType::kUInt8 || w.type == DataType::kInt4);
        if (hybrid && options_.dequantize_hybrid_weights && w.type != DataType::kInt4) {
          TV_RETURN_IF_ERROR(DequantizeConstant(persistent_, &w).Prefixed(label));
          ++dequantized_weights_;
        } else if (hybrid) {
          return Status::Error(
              "%s: hybrid (dynamic-range) quantized model — float activations "
              "with %s weights '%s'; TFLM has no hybrid kernels, so the model "
              "cannot run on a microcontroller as is",
              label, DataTypeName(w.type), w.name);
        }
      }
    }
    bool version_ok = true;
    const KernelRegistration* reg = FindKernel(node.op_code, node.version, &version_ok);
    if (reg == nullptr) {
      return Status::Error("%s, version %d, is not supported by tinyverify", label, node.version);
    }
    kernels_[node.index] = reg;
    const bool optimized = options_.flavor == KernelFlavor::kOptimized;
    const OptimizedKernel* fast = (optimized && options_.optimized_kernels != nullptr)
                                      ? options_.optimized_kernels(node.op_code)
                                      : nullptr;
    PrepareFn prepare = reg->prepare;
    if (fast != nullptr) {
      prepare = fast->prepare;
      evals_[node.index] = fast->eval;
    } else {
      evals_[node.index] =
          (optimized && reg->eval_optimized) ? reg->eval_optimized : reg->eval_reference;
    }
    KernelContext ctx(tensors_.data(), static_cast<int32_t>(tensors_.size()), &node, &persistent_);
    Status s = prepare(ctx);
    if (!s.ok()) return s.Prefixed(label);
  }
  return Status::Ok();
}

Status Interpreter::PlanAndAllocate() {
  // One request per arena tensor, then one per scratch buffer.
  const int32_t last = nodes_.empty() ? 0 : static_cast<int32_t>(nodes_.size()) - 1;
  std::vector<int32_t> first(tensors_.size(), -1), lastuse(tensors_.size(), -1);
  auto touch = [&](int32_t idx, int32_t k) {
    if (idx < 0) return;
    if (first[idx] < 0 || k < first[idx]) first[idx] = k;
    if (k > lastuse[idx]) lastuse[idx] = k;
  };
  for (int32_t idx : model_->inputs()) touch(idx, 0);
  for (const Node& node : nodes_) {
    for (int32_t j = 0; j < node.num_inputs; ++j) touch(node.inputs[j], node.index);
    for (int32_t j = 0; j < node.num_outputs; ++j) touch(node.outputs[j], node.index);
    for (int32_t j = 0; j < node.num_intermediates; ++j) touch(node.intermediates[j], node.index);
  }
  for (int32_t idx : model_->outputs()) touch(idx, last);

  std::vector<BufferRequest> requests;
  std::vector<int32_t> owner;  // >= 0: tensor index; < 0: -(scratch slot id + 1)
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const Tensor& t = tensors_[i];
    if (t.is_constant || first[i] < 0) continue;
    BufferRequest r;
    r.bytes = t.bytes;
    r.first_use = t.is_variable ? 0 : first[i];
    r.last_use = t.is_variable ? last : lastuse[i];
    requests.push_back(r);
    owner.push_back(static_cast<int32_t>(i));
  }
  for (const Node& node : nodes_) {
    for (int32_t s = 0; s < node.num_scratch; ++s) {
      requests.push_back({node.scratch_bytes[s], node.index, node.index});
      owner.push_back(-(node.index * kMaxScratchPerNode + s) - 1);
    }
  }
  TV_RETURN_IF_ERROR(PlanArena(requests, &plan_));

  arena_storage_.assign(plan_.arena_bytes + 2 * kGuardBytes + kArenaAlignment, kGuardValue);
  uintptr_t base = reinterpret_cast<uintptr_t>(arena_storage_.data()) + kGuardBytes;
  base = (base + kArenaAlignment - 1) & ~uintptr_t{kArenaAlignment - 1};
  arena_ = reinterpret_cast<uint8_t*>(base);
  std::memset(arena_, 0, plan_.arena_bytes);
  for (size_t r = 0; r < requests.size(); ++r) {
    uint8_t* p = arena_ + plan_.offsets[r];
    if (owner[r] >= 0) {
      tensors_[owner[r]].data = p;
    } else {
      const int32_t id = -owner[r] - 1;
      nodes_[id / kMaxScratchPerNode].scratch[id % kMaxScratchPerNode] = p;
    }
  }
  return Status::Ok();
}

bool Interpreter::GuardsIntact() const {
  const uint8_t* begin = arena_storage_.data();
  const uint8_t* end = begin + arena_storage_.size();
  for (const uint8_t* p = begin; p < arena_; ++p)
    if (*p != kGuardValue) return false;
  for (const uint8_t* p = arena_ + plan_.arena_bytes; p < end; ++p)
    if (*p != kGuardValue) return false;
  return true;
}

void Interpreter::ResetVariables() {
  for (Tensor& t : tensors_) {
    if (!t.is_variable || t.data == nullptr) continue;
    int fill = 0;
    if (t.type == DataType::kInt8 && t.quant.quantized) fill = t.quant.zero_point;
    std::memset(t.data, fill, t.bytes);
  }
}

Status Interpreter::Invoke(NodeObserver* observer) {
  char label[96];
  for (Node& node : nodes_) {
    KernelContext ctx(tensors_.data(), static_cast<int32_t>(tensors_.size()), &node, nullptr);
    Status s = evals_[node.index](ctx);
    if (!s.ok()) {
      DescribeNode(node, *model_, label, sizeof(label));
      return s.Prefixed(label);
    }
    if (observer != nullptr) observer->AfterNode(node);
  }
  return Status::Ok();
}

}  // namespace tv
